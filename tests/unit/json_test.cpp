// JSON codec: Go-compatible output, hostile input.
#include <gtest/gtest.h>

#include <string>

#include "core/json/json.h"

using larder::json::Value;
using larder::json::dump;
using larder::json::parse;

namespace {

struct NumberCase { double in; const char* out; };

TEST(JsonNumber, FormatsLikeGoEncodingJson) {
  // Expected strings are what Go's json.Marshal(float64) prints.
  const NumberCase cases[] = {
      {0, "0"}, {1, "1"}, {-1, "-1"}, {3, "3"}, {0.1, "0.1"}, {1.5, "1.5"}, {-2.25, "-2.25"},
      {100, "100"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"}, {1.5e300, "1.5e+300"},
      {1e-6, "0.000001"}, {1e-7, "1e-7"}, {1.234e-10, "1.234e-10"}, {123456789.123, "123456789.123"},
      {9007199254740993.0, "9007199254740992"}, {0.30000000000000004, "0.30000000000000004"},
      {2.5e-5, "0.000025"}, {12345678912345678, "12345678912345678"},
  };
  for (const auto& c : cases) EXPECT_EQ(larder::json::format_number(c.in), c.out) << c.in;
}

TEST(JsonString, EscapesLikeGo) {
  EXPECT_EQ(dump(Value("a\"b\\c")), R"("a\"b\\c")");
  EXPECT_EQ(dump(Value("<a href='x'>&</a>")), R"("\u003ca href='x'\u003e\u0026\u003c/a\u003e")");
  EXPECT_EQ(dump(Value("\n\r\t\b\f\x01")), R"("\n\r\t\b\f\u0001")");
  EXPECT_EQ(dump(Value("\xe2\x80\xa8\xe2\x80\xa9")), R"("\u2028\u2029")");
  EXPECT_EQ(dump(Value("caf\xc3\xa9 \xf0\x9f\x98\x80")), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
  // Invalid UTF-8 (stray continuation, overlong, surrogate, truncated) becomes U+FFFD escapes.
  EXPECT_EQ(dump(Value("a\x80z")), R"("a\ufffdz")");
  EXPECT_EQ(dump(Value("\xc0\xaf")), R"("\ufffd\ufffd")");
  EXPECT_EQ(dump(Value("\xed\xa0\x80")), R"("\ufffd\ufffd\ufffd")");
  EXPECT_EQ(dump(Value("\xe2\x82")), R"("\ufffd\ufffd")");
}

TEST(JsonObject, KeepsInsertionOrderAndSortsOnRequest) {
  Value v = Value::object();
  v["b"] = 1;
  v["a"] = true;
  v["c"] = nullptr;
  EXPECT_EQ(dump(v), R"({"b":1,"a":true,"c":null})");
  v.as_object().sort_keys();
  EXPECT_EQ(dump(v), R"({"a":true,"b":1,"c":null})");
}

TEST(JsonParse, RoundTrips) {
  const char* docs[] = {R"({"a":[1,2.5,"x",null,true,false,{}],"b":{"c":[]}})", "[]", "{}", "\"\"", "0", "-0.5"};
  for (const char* d : docs) EXPECT_EQ(dump(parse(d)), d);
}

TEST(JsonParse, DuplicateKeysKeepLastValueLikeAGoMap) {
  EXPECT_EQ(dump(parse(R"({"a":1,"b":2,"a":3})")), R"({"a":3,"b":2})");
}

TEST(JsonParse, DecodesEscapesAndSurrogates) {
  EXPECT_EQ(parse(R"("\u00e9\ud83d\ude00\/")").as_string(), "\xc3\xa9\xf0\x9f\x98\x80/");
  EXPECT_EQ(parse(R"("\ud83d")").as_string(), "\xef\xbf\xbd");         // lone high surrogate
  EXPECT_EQ(parse(R"("\ude00x")").as_string(), "\xef\xbf\xbdx");       // lone low surrogate
  EXPECT_EQ(parse("\"a\xff\"").as_string(), "a\xef\xbf\xbd");            // invalid byte
}

TEST(JsonParse, RejectsMalformedInput) {
  const char* bad[] = {"", " ", "{", "}", "[1,]", "{\"a\"}", "{\"a\":}", "{a:1}", "[1 2]", "01", "1.", ".5",
                       "-", "1e", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "[1]x", "NaN",
                       "Infinity", "1e999", "{\"a\":1,}", "\xef\xbb\xbf{}"};
  for (const char* b : bad) EXPECT_THROW(parse(b), larder::json::ParseError) << b;
}

TEST(JsonParse, RefusesHostileNestingWithoutCrashing) {
  std::string deep(100000, '[');
  EXPECT_THROW(parse(deep), larder::json::ParseError);
  std::string ok = std::string(500, '[') + std::string(500, ']');
  EXPECT_NO_THROW(parse(ok));
  std::string objs;
  for (int i = 0; i < 100000; ++i) objs += "{\"a\":";
  EXPECT_THROW(parse(objs), larder::json::ParseError);
}

TEST(JsonCompact, RemovesWhitespaceAndEscapesHtml) {
  std::string out;
  ASSERT_TRUE(larder::json::compact("{ \"a\" : [1, 2 ,\n 3], \"b\": \"<x> y\" }", out));
  EXPECT_EQ(out, R"({"a":[1,2,3],"b":"\u003cx\u003e y"})");
  out.clear();
  EXPECT_FALSE(larder::json::compact("[1,", out));
  out.clear();
  ASSERT_TRUE(larder::json::compact("12345678901234567890", out));
  EXPECT_EQ(out, "12345678901234567890");  // raw numbers keep their digits
}

}  // namespace
