// Filter tokenizer: input → tokens, or an error (filter-and-rules.md §1, fexpr v0.6.0).
#include <gtest/gtest.h>

#include <string>

#include "core/query/errors.h"
#include "core/query/lexer.h"

using namespace larder::query;

namespace {

std::string render(const std::vector<Token>& tokens);

std::string render(const Token& t) {
  std::string out(token_type_name(t.type));
  out += '(';
  out += t.text;
  if (t.type == TokenType::Function) {
    out += ':';
    out += render(t.args);
  }
  out += ')';
  return out;
}

std::string render(const std::vector<Token>& tokens) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += ' ';
    out += render(tokens[i]);
  }
  return out;
}

struct Case {
  std::string in;
  std::string tokens;  // "" with error = true
  bool error = false;
};

}  // namespace

TEST(FilterLexer, Tokens) {
  const Case cases[] = {
      {"", ""},
      {"  \t\n ", ""},
      {"a=1", "identifier(a) sign(=) number(1)"},
      {"a = 'b' && c != \"d\"", "identifier(a) sign(=) text(b) join(&&) identifier(c) sign(!=) text(d)"},
      {"@request.auth.id != ''", "identifier(@request.auth.id) sign(!=) text()"},
      {"_a.b:each ?= #x", "identifier(_a.b:each) sign(?=) identifier(#x)"},
      {"a ?!~ b || c ?>= -1.5", "identifier(a) sign(?!~) identifier(b) join(||) identifier(c) sign(?>=) number(-1.5)"},
      {"(a<1)", "lparen(() identifier(a) sign(<) number(1) rparen())"},
      {"a>=1 b<=2 c>3 d~4 e!~5", "identifier(a) sign(>=) number(1) identifier(b) sign(<=) number(2) identifier(c) sign(>) number(3) identifier(d) sign(~) number(4) identifier(e) sign(!~) number(5)"},
      {"a?<1 a?<=1 a?>1 a?~1 a?!=1", "identifier(a) sign(?<) number(1) identifier(a) sign(?<=) number(1) identifier(a) sign(?>) number(1) identifier(a) sign(?~) number(1) identifier(a) sign(?!=) number(1)"},
      // numbers: a leading '-' and one '.'; fexpr accepts "-.5"
      {"-.5 007 1.25", "number(-.5) number(007) number(1.25)"},
      {"1-2", "number(1) number(-2)"},
      {"1.2.3", "", true},
      {"- 1", "", true},
      {"1.", "", true},
      {".5", "", true},
      // comments: to the end of the line, anywhere
      {"a = 1 // comment\n&& b = 2", "identifier(a) sign(=) number(1) join(&&) identifier(b) sign(=) number(2)"},
      {"// only a comment", ""},
      {"a / b", "", true},
      // text escapes (fexpr v0.6.0 set + the JSON set the JS SDK produces)
      {R"("'\"x\\")", "text('\"x\\)"},
      {R"("a\nb\tc\rd")", "text(a\nb\tc\rd)"},
      {R"('it\'s')", "text(it's)"},
      {R"("\/\b\f")", "text(/\b\f)"},
      {R"("\u0041\u00e9\u20ac")", "text(Aé€)"},
      {R"("\ud83d\ude00")", "text(\xF0\x9F\x98\x80)"},
      {R"("\ud83d")", "text(\xEF\xBF\xBD)"},
      {R"("\u00zz")", "text(\\u00zz)"},
      {R"("50\%" '\d')", "text(50\\%) text(\\d)"},
      {R"("\u0000")", std::string("text(") + std::string(1, '\0') + ")"},
      {"'a\"b' \"a'b\"", "text(a\"b) text(a'b)"},
      {"\"\xff\"", "text(\xEF\xBF\xBD)"},
      {"\"héllo wörld\"", "text(héllo wörld)"},
      // unterminated / unbalanced quotes
      {"\"abc", "", true},
      {"'abc\\'", "", true},
      {"\"abc\\", "", true},
      // identifiers
      {"a.", "", true},
      {"a:", "", true},
      {"@", "", true},
      {"_", "", true},
      {"#", "", true},
      {"@@x", "", true},  // fexpr: ^[@#_]?[\w.:]*\w+$
      {"a..b", "identifier(a..b)"},
      // operators: maximal munch over = ? ! > < ~
      {"a == b", "", true},
      {"a =! b", "", true},
      {"a ?? b", "", true},
      {"a & b", "", true},
      {"a &&& b", "", true},
      {"a ||| b", "", true},
      // characters that start nothing
      {"a = $b", "", true},
      {"a = 1;", "", true},
      {"a\r= 1", "", true},
      {std::string("a = 1\0b", 7), "", true},
      {"a = \"x\0y\"", "", true},
      {"ä = 1", "", true},
      {"a, b", "", true},
      // functions: identifier immediately followed by '(' with nested args (max depth 3)
      {"f()", "function(f:)"},
      {"geoDistance(a.lon, a.lat, 1, -2.5)", "function(geoDistance:identifier(a.lon) identifier(a.lat) number(1) number(-2.5))"},
      {"f( 'x' , // c\n b )", "function(f:text(x) identifier(b))"},
      {"f(a,)", "function(f:identifier(a))"},
      {"f(g(h(1)))", "function(f:function(g:function(h:number(1))))"},
      {"f(g(h(i(1))))", "", true},
      {"f(,a)", "", true},
      {"f(a b)", "", true},
      {"f(a", "", true},
      {"f((a))", "", true},
      {"f(a = 1)", "", true},
      {"a.(", "", true},
      {"f (a)", "identifier(f) lparen(() identifier(a) rparen())"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    if (c.error) {
      EXPECT_THROW(lex(c.in), FilterError);
    } else {
      try {
        EXPECT_EQ(render(lex(c.in)), c.tokens);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "threw: " << e.what();
      }
    }
  }
}

TEST(FilterLexer, SignTable) {
  const char* signs[] = {"=", "!=", "~", "!~", "<", "<=", ">", ">=", "?=", "?!=", "?~", "?!~", "?<", "?<=", "?>", "?>="};
  for (const char* s : signs) {
    SignOp op;
    ASSERT_TRUE(parse_sign(s, op)) << s;
    EXPECT_EQ(sign_text(op), s);
    EXPECT_EQ(is_any_op(op), s[0] == '?') << s;
  }
  SignOp op;
  for (const char* bad : {"", "==", "=<", "!", "?", "?!", "<>", "~=", "!=="}) EXPECT_FALSE(parse_sign(bad, op)) << bad;
}

TEST(FilterLexer, HostileInputIsLinearAndSafe) {
  // 1 MB inputs of every token class lex (or fail) quickly and without recursion.
  const std::string big_text = "\"" + std::string(1 << 20, 'x') + "\"";
  EXPECT_EQ(lex(big_text).front().text.size(), size_t(1) << 20);
  EXPECT_THROW(lex("\"" + std::string(1 << 20, 'x')), FilterError);
  EXPECT_EQ(lex(std::string(1 << 20, '(')).size(), size_t(1) << 20);
  EXPECT_THROW(lex(std::string(1 << 20, '=')), FilterError);
  EXPECT_THROW(lex(std::string(1 << 20, '\\')), FilterError);
  std::string nested_calls;
  for (int i = 0; i < 100000; ++i) nested_calls += "f(";
  EXPECT_THROW(lex(nested_calls), FilterError);
  std::string escapes = "\"";
  for (int i = 0; i < 100000; ++i) escapes += "\\u12";
  escapes += "\"";
  EXPECT_NO_THROW(lex(escapes));
}
