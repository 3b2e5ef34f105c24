// HTTP building blocks: query parsing, percent-decoding, routing, error envelopes.
#include <gtest/gtest.h>

#include "core/http/error.h"
#include "core/http/router.h"
#include "core/http/url.h"

using namespace larder::http;

TEST(Query, ParsesLikeGoUrlParseQuery) {
  QueryParams q("a=1&b=x+y&c=%2F%41&a=2&empty=&novalue&bad=%zz&semi=1;2&&=v");
  EXPECT_EQ(q.get("a"), "1");
  EXPECT_EQ(q.all("a").size(), 2u);
  EXPECT_EQ(q.get("b"), "x y");
  EXPECT_EQ(q.get("c"), "/A");
  EXPECT_TRUE(q.has("empty"));
  EXPECT_TRUE(q.has("novalue"));
  EXPECT_FALSE(q.has("bad"));   // malformed escape: pair dropped
  EXPECT_FALSE(q.has("semi"));  // ';' is rejected since Go 1.17
  EXPECT_TRUE(q.has(""));
}

TEST(PercentDecode, RejectsTruncatedEscapes) {
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("a%g1", false));
  EXPECT_EQ(*percent_decode("a+b%20c", false), "a+b c");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
}

TEST(Router, PrefersLiteralSegmentsAndDecodesParams) {
  Router r;
  r.add("GET", "/api/collections/{collection}", 1);
  r.add("PUT", "/api/collections/import", 2);
  r.add("GET", "/api/collections/meta/scaffolds", 3);
  r.add("GET", "/api/collections/{collection}/records/{id}", 4);
  r.add("GET", "/api/files/{collection}/{recordId}/{filename}", 5);
  r.add("GET", "/_/{path...}", 6);

  auto m = r.match("GET", "/api/collections/import");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route_id, 1u);  // the literal route exists only for PUT
  EXPECT_EQ(m->params.get("collection"), "import");
  EXPECT_EQ(r.match("PUT", "/api/collections/import")->route_id, 2u);
  EXPECT_EQ(r.match("GET", "/api/collections/meta/scaffolds")->route_id, 3u);
  auto rec = r.match("GET", "/api/collections/my%20posts/records/abc");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->params.get("collection"), "my posts");
  EXPECT_EQ(rec->params.get("id"), "abc");
  EXPECT_EQ(r.match("HEAD", "/api/collections/x")->route_id, 1u);  // GET answers HEAD
  EXPECT_FALSE(r.match("POST", "/api/collections/x"));
  EXPECT_FALSE(r.match("GET", "/api/collections/"));              // empty parameter
  EXPECT_FALSE(r.match("GET", "/api/collections/x/records"));
  EXPECT_FALSE(r.match("GET", "/api/collections/%zz"));            // bad escape
  auto rest = r.match("GET", "/_/a/b/c.js");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->params.get("path"), "a/b/c.js");
}

TEST(ErrorEnvelope, MatchesPocketBaseBytes) {
  EXPECT_EQ(ApiError::not_found().to_response().body,
            "{\"data\":{},\"message\":\"The requested resource wasn't found.\",\"status\":404}\n");
  EXPECT_EQ(ApiError(400, "failed to create record").message(), "Failed to create record.");
  EXPECT_EQ(ApiError(400, "  Is it?  ").message(), "Is it?");
  EXPECT_EQ(ApiError(429, "").message(), "Too Many Requests.");
}
