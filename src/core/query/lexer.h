// Tokenizer for the filter language (filter-and-rules.md §1): the token set of fexpr v0.6.0,
// which PocketBase links, with parentheses as plain tokens (the parser matches them) and
// function calls scanned with their arguments (nested at most 3 deep).
//
// Differences from fexpr, all on inputs fexpr mishandles: a NUL byte is an error (fexpr
// silently stops scanning there), and text literals also decode the JSON escapes the JS SDK
// emits (\/ \b \f \uXXXX), as the spec requires.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace larder::query {

enum class TokenType : uint8_t { Identifier, Function, Number, Text, Sign, Join, LParen, RParen };

enum class SignOp : uint8_t {
  Eq, Neq, Like, NLike, Lt, Lte, Gt, Gte,
  AnyEq, AnyNeq, AnyLike, AnyNLike, AnyLt, AnyLte, AnyGt, AnyGte,
};

struct Token {
  TokenType type = TokenType::Identifier;
  // Identifier / function name, decoded text, number literal, sign or join literal.
  std::string text;
  std::vector<Token> args;  // Function only
  size_t pos = 0;           // byte offset in the input (for messages)
};

inline constexpr int kMaxFunctionDepth = 3;

// The whole input as tokens (whitespace and comments dropped). Throws FilterError.
std::vector<Token> lex(std::string_view input);

// "=" -> SignOp::Eq etc.; false for anything that is not one of the 16 operators.
bool parse_sign(std::string_view s, SignOp& out);
std::string_view sign_text(SignOp op);
// The "?" operators.
bool is_any_op(SignOp op);

std::string_view token_type_name(TokenType t);

}  // namespace larder::query
