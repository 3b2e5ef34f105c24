// Filter tokenizer (see lexer.h). One pass over the bytes; function arguments are the only
// recursion and are bounded by kMaxFunctionDepth.
#include "core/query/lexer.h"

#include "core/query/errors.h"
#include "core/util/utf8.h"

namespace larder::query {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n'; }
bool is_ident_start(char c) { return is_letter(c) || c == '@' || c == '_' || c == '#'; }
bool is_ident_char(char c) { return is_letter(c) || is_digit(c) || c == '_' || c == '.' || c == ':'; }
bool is_number_start(char c) { return c == '-' || is_digit(c); }
bool is_sign_char(char c) { return c == '=' || c == '?' || c == '!' || c == '>' || c == '<' || c == '~'; }
bool is_join_char(char c) { return c == '&' || c == '|'; }
bool is_quote(char c) { return c == '"' || c == '\''; }

// fexpr's isValidIdentifier: not ending with '.' or ':' and not a lone special start char.
bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  char last = s.back();
  if (last == '.' || last == ':') return false;
  if (s.size() == 1 && (s[0] == '@' || s[0] == '_' || s[0] == '#')) return false;
  return true;
}

[[noreturn]] void fail(const char* what, size_t pos) {
  throw FilterError(std::string(what) + " at offset " + std::to_string(pos));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (is_ws(c)) {
        ++pos_;
      } else if (c == '/') {
        skip_comment();
      } else if (c == '(') {
        out.push_back(Token{TokenType::LParen, "(", {}, pos_++});
      } else if (c == ')') {
        out.push_back(Token{TokenType::RParen, ")", {}, pos_++});
      } else if (is_ident_start(c)) {
        out.push_back(identifier(kMaxFunctionDepth));
      } else if (is_number_start(c)) {
        out.push_back(number());
      } else if (is_quote(c)) {
        out.push_back(text());
      } else if (is_sign_char(c)) {
        out.push_back(run_of(TokenType::Sign, is_sign_char));
        SignOp op;
        if (!parse_sign(out.back().text, op)) fail("invalid sign operator", out.back().pos);
      } else if (is_join_char(c)) {
        out.push_back(run_of(TokenType::Join, is_join_char));
        if (out.back().text != "&&" && out.back().text != "||") fail("invalid join operator", out.back().pos);
      } else {
        fail("unexpected character", pos_);
      }
    }
    return out;
  }

 private:
  void skip_comment() {
    if (pos_ + 1 >= in_.size() || in_[pos_ + 1] != '/') fail("invalid comment", pos_);
    size_t nl = in_.find('\n', pos_);
    pos_ = nl == std::string_view::npos ? in_.size() : nl + 1;
  }

  Token run_of(TokenType type, bool (*pred)(char)) {
    Token t{type, {}, {}, pos_};
    size_t start = pos_;
    while (pos_ < in_.size() && pred(in_[pos_])) ++pos_;
    t.text.assign(in_.substr(start, pos_ - start));
    return t;
  }

  Token identifier(int func_depth) {
    Token t{TokenType::Identifier, {}, {}, pos_};
    size_t start = pos_++;
    while (pos_ < in_.size() && is_ident_char(in_[pos_])) ++pos_;
    t.text.assign(in_.substr(start, pos_ - start));
    if (pos_ < in_.size() && in_[pos_] == '(') {
      if (func_depth <= 0) fail("max nested function arguments reached", t.pos);
      if (!valid_identifier(t.text)) fail("invalid function name", t.pos);
      t.type = TokenType::Function;
      function_args(t, func_depth);
      return t;
    }
    if (!valid_identifier(t.text)) fail("invalid identifier", t.pos);
    return t;
  }

  // After the function name; pos_ is at '('.
  void function_args(Token& fn, int func_depth) {
    ++pos_;
    bool expect_comma = false;
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c == ')') {
        ++pos_;
        return;
      }
      if (is_ws(c)) {
        ++pos_;
        continue;
      }
      if (c == '/') {
        skip_comment();
        continue;
      }
      bool comma = c == ',';
      if (expect_comma && !comma) fail("expected comma after the last function argument", pos_);
      if (!expect_comma && comma) fail("unexpected comma in function arguments", pos_);
      expect_comma = false;
      if (comma) {
        // fexpr accepts a trailing comma before ')': f(a,) has one argument.
        ++pos_;
        continue;
      }
      if (is_ident_start(c)) {
        fn.args.push_back(identifier(func_depth - 1));
      } else if (is_number_start(c)) {
        fn.args.push_back(number());
      } else if (is_quote(c)) {
        fn.args.push_back(text());
      } else {
        fail("unsupported function argument", pos_);
      }
      expect_comma = true;
    }
    fail("incomplete function call (expected ')')", fn.pos);
  }

  // '-' only first, at most one '.', not starting or ending with '.', not a lone '-'.
  Token number() {
    Token t{TokenType::Number, {}, {}, pos_};
    size_t start = pos_;
    bool dot = false;
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (is_digit(c) || (c == '-' && pos_ == start) || (c == '.' && !dot)) {
        dot = dot || c == '.';
        ++pos_;
      } else {
        break;
      }
    }
    t.text.assign(in_.substr(start, pos_ - start));
    const std::string& s = t.text;
    // (fexpr accepts "-.5"; it is -0.5.)
    if (s == "-" || s.front() == '.' || s.back() == '.') fail("invalid number", t.pos);
    return t;
  }

  // A quoted literal with its escapes decoded. fexpr v0.6.0 decodes \n \t \r \\ \' \" and keeps
  // any other "\X" as the two characters; we also decode the rest of the JSON escape set, which
  // is what JSON.stringify-based quoting (the JS SDK's pb.filter()) produces.
  Token text() {
    Token t{TokenType::Text, {}, {}, pos_};
    const char quote = in_[pos_++];
    std::string& out = t.text;
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c == '\0') fail("unexpected NUL byte in text", pos_);
      if (c == quote) {
        ++pos_;
        return t;
      }
      if (c == '\\') {
        if (pos_ + 1 >= in_.size()) break;  // unterminated
        escape(out);
        continue;
      }
      // Copy one UTF-8 sequence; invalid bytes become U+FFFD as Go's rune decoding does.
      size_t n = utf8::valid_sequence_length(in_, pos_);
      if (n == 0) {
        utf8::append(out, 0xFFFD);
        ++pos_;
      } else {
        out.append(in_.substr(pos_, n));
        pos_ += n;
      }
    }
    fail("unterminated quoted text", t.pos);
  }

  // pos_ at the backslash; appends the decoded character(s) and advances.
  void escape(std::string& out) {
    char e = in_[pos_ + 1];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case '\\': case '\'': case '"': case '/': out += e; break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(pos_ + 2, cp)) {
          out += "\\u";
          pos_ += 2;
          return;
        }
        size_t used = 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo = 0;
          if (pos_ + 7 < in_.size() && in_[pos_ + 6] == '\\' && in_[pos_ + 7] == 'u' && hex4(pos_ + 8, lo) &&
              lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            used = 12;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        utf8::append(out, cp);
        pos_ += used;
        return;
      }
      case '\0':
        fail("unexpected NUL byte in text", pos_ + 1);
      default:
        // Unknown escape: keep it verbatim so LIKE escapes such as "50\%" keep working. Only the
        // backslash is consumed here; the next character is copied by the caller's loop (so a
        // multi-byte character after the backslash stays intact).
        out += '\\';
        pos_ += 1;
        return;
    }
    pos_ += 2;
  }

  bool hex4(size_t at, uint32_t& cp) const {
    if (at + 4 > in_.size()) return false;
    cp = 0;
    for (size_t i = 0; i < 4; ++i) {
      int h = hex_value(in_[at + i]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<uint32_t>(h);
    }
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

struct SignEntry {
  std::string_view text;
  SignOp op;
};
constexpr SignEntry kSigns[] = {
    {"=", SignOp::Eq},       {"!=", SignOp::Neq},       {"~", SignOp::Like},       {"!~", SignOp::NLike},
    {"<", SignOp::Lt},       {"<=", SignOp::Lte},       {">", SignOp::Gt},         {">=", SignOp::Gte},
    {"?=", SignOp::AnyEq},   {"?!=", SignOp::AnyNeq},   {"?~", SignOp::AnyLike},   {"?!~", SignOp::AnyNLike},
    {"?<", SignOp::AnyLt},   {"?<=", SignOp::AnyLte},   {"?>", SignOp::AnyGt},     {"?>=", SignOp::AnyGte},
};

}  // namespace

std::vector<Token> lex(std::string_view input) { return Lexer(input).run(); }

bool parse_sign(std::string_view s, SignOp& out) {
  for (const auto& e : kSigns) {
    if (e.text == s) {
      out = e.op;
      return true;
    }
  }
  return false;
}

std::string_view sign_text(SignOp op) {
  for (const auto& e : kSigns)
    if (e.op == op) return e.text;
  return "?";
}

bool is_any_op(SignOp op) { return static_cast<uint8_t>(op) >= static_cast<uint8_t>(SignOp::AnyEq); }

std::string_view token_type_name(TokenType t) {
  switch (t) {
    case TokenType::Identifier: return "identifier";
    case TokenType::Function: return "function";
    case TokenType::Number: return "number";
    case TokenType::Text: return "text";
    case TokenType::Sign: return "sign";
    case TokenType::Join: return "join";
    case TokenType::LParen: return "lparen";
    case TokenType::RParen: return "rparen";
  }
  return "?";
}

}  // namespace larder::query
