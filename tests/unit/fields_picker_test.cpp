// The `fields` picker and the excerpt modifier.
#include <gtest/gtest.h>

#include "core/api/fields_picker.h"

using namespace larder;

namespace {
std::string pick(const char* doc, const char* fields, bool paginated = false) {
  auto out = api::pick_fields(json::parse(doc), fields, paginated);
  return out ? json::dump(*out) : "<error>";
}
}  // namespace

TEST(FieldsPicker, PicksPaths) {
  EXPECT_EQ(pick(R"({"b":1,"a":2,"c":3})", "a,c"), R"({"a":2,"c":3})");
  EXPECT_EQ(pick(R"({"b":1,"a":{"y":1,"x":2}})", "a.x"), R"({"a":{"x":2}})");
  EXPECT_EQ(pick(R"({"b":1,"a":{"y":1,"x":2}})", "*"), R"({"a":{"x":2,"y":1},"b":1})");
  EXPECT_EQ(pick(R"({"b":1,"a":{"y":1,"x":2}})", "*,a.y"), R"({"a":{"y":1},"b":1})");
  EXPECT_EQ(pick(R"({"a":[{"x":1,"y":2},{"x":3,"y":4}]})", "a.x"), R"({"a":[{"x":1},{"x":3}]})");
  EXPECT_EQ(pick(R"({"items":[{"x":1,"y":2}],"page":1})", "x", true), R"({"items":[{"x":1}],"page":1})");
  EXPECT_EQ(pick(R"({"a":1})", "nope"), R"({})");
  EXPECT_EQ(pick(R"({"a":1})", "a:nope(1)"), "<error>");
  EXPECT_EQ(pick(R"({"a":1})", "a:excerpt(0)"), "<error>");
  EXPECT_EQ(pick(R"({"a":1})", "a:excerpt(1,2,3)"), "<error>");
  EXPECT_EQ(pick(R"({"a":"<p>Hello <b>big</b> world</p>"})", "a:excerpt(9,true)"), R"({"a":"Hello big..."})");
}

TEST(Excerpt, StripsHtml) {
  EXPECT_EQ(api::excerpt("<p>one</p><p>two</p>", 100, false), "one two");
  EXPECT_EQ(api::excerpt("<script>alert(1)</script>visible<style>x{}</style>", 100, false), "visible");
  EXPECT_EQ(api::excerpt("a &amp; b &lt;c&gt; &#x41;&#66;", 100, false), "a & b <c> AB");
  EXPECT_EQ(api::excerpt("  lots   of\n\nspace  ", 100, false), "lots of space");
  EXPECT_EQ(api::excerpt("caf\xc3\xa9 au lait", 4, true), "caf\xc3\xa9...");
  EXPECT_EQ(api::excerpt("<unclosed", 10, false), "<unclosed");
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  EXPECT_EQ(api::excerpt(deep + "x", 10, false), "x");
}
