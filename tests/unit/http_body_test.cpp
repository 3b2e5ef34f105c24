// Request bodies: multipart parsing, form value inference, index definitions.
#include <gtest/gtest.h>

#include "core/api/request_data.h"
#include "core/db/index_def.h"
#include "core/http/error.h"
#include "core/http/multipart.h"

using namespace larder;

TEST(Multipart, ParsesFieldsAndFiles) {
  std::string body =
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a \\\"b\\\".txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n--XyZ--\r\nepilogue";
  auto parts = http::parse_multipart(body, "XyZ");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "title");
  EXPECT_EQ(parts[0].data, "hello");
  EXPECT_FALSE(parts[0].filename);
  EXPECT_EQ(parts[1].name, "doc");
  EXPECT_EQ(*parts[1].filename, "a \"b\".txt");
  EXPECT_EQ(parts[1].content_type, "text/plain");
  EXPECT_EQ(parts[1].data, "line1\r\nline2");
}

TEST(Multipart, RejectsHostileBodies) {
  const char* bad[] = {
      "",                                                                          // nothing
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",          // truncated body
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nno blank line",       // truncated headers
      "--XyZ\r\nbroken header line\r\n\r\nx\r\n--XyZ--",                            // bad header
      "garbage without boundary",
  };
  for (const char* b : bad) EXPECT_THROW(http::parse_multipart(b, "XyZ"), http::MultipartError) << b;
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
  many += "--XyZ--";
  EXPECT_THROW(http::parse_multipart(many, "XyZ"), http::MultipartError);
  EXPECT_FALSE(http::multipart_boundary("multipart/form-data"));
  EXPECT_EQ(*http::multipart_boundary("multipart/form-data; boundary=\"q q\""), "q q");
}

TEST(FormValues, InferTypesLikePocketBase) {
  EXPECT_EQ(api::infer_form_value(""), json::Value(""));
  EXPECT_EQ(api::infer_form_value("true"), json::Value(true));
  EXPECT_EQ(api::infer_form_value("false"), json::Value(false));
  EXPECT_EQ(api::infer_form_value("True"), json::Value("True"));
  EXPECT_EQ(api::infer_form_value("12"), json::Value(12));
  EXPECT_EQ(api::infer_form_value("-1.5"), json::Value(-1.5));
  EXPECT_EQ(api::infer_form_value("012"), json::Value("012"));
  EXPECT_EQ(api::infer_form_value("1.0"), json::Value("1.0"));
  EXPECT_EQ(api::infer_form_value("1e3"), json::Value("1e3"));
  EXPECT_EQ(api::infer_form_value("--1"), json::Value("--1"));
  EXPECT_EQ(api::infer_form_value("abc"), json::Value("abc"));
}

TEST(RequestData, JsonBodies) {
  http::Request req;
  req.method = "POST";
  req.headers.add("Content-Type", "application/json; charset=utf-8");
  req.body = "{\"a\":1} trailing junk is ignored like Go's json.Decoder";
  EXPECT_EQ(json::dump(json::Value(api::read_request_data(req, {}).body)), "{\"a\":1}");
  req.body = "[1]";
  EXPECT_THROW(api::read_request_data(req, {}), http::ApiError);
  req.body = "null";
  EXPECT_TRUE(api::read_request_data(req, {}).body.empty());
  req.headers.set("Content-Type", "text/plain");
  req.body = "x";
  try {
    api::read_request_data(req, {});
    FAIL();
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.message(), "Unsupported Content-Type.");
  }
}

TEST(IndexDef, ParsesAndRebuildsLikePocketBase) {
  auto idx = db::parse_index("create unique index if not exists `idx_x` on users (`email` COLLATE NOCASE desc, lower(name)) where email != ''");
  ASSERT_TRUE(idx.valid());
  EXPECT_TRUE(idx.unique);
  EXPECT_TRUE(idx.if_not_exists);
  EXPECT_EQ(idx.name, "idx_x");
  EXPECT_EQ(idx.table, "users");
  ASSERT_EQ(idx.columns.size(), 2u);
  EXPECT_EQ(idx.columns[0].name, "email");
  EXPECT_EQ(idx.columns[0].collate, "NOCASE");
  EXPECT_EQ(idx.columns[0].sort, "DESC");
  EXPECT_EQ(idx.columns[1].name, "lower(name)");
  EXPECT_EQ(idx.where, "email != ''");
  EXPECT_EQ(idx.build(),
            "CREATE UNIQUE INDEX IF NOT EXISTS `idx_x` ON `users` (\n  `email` COLLATE NOCASE DESC,\n  lower(name)\n) WHERE email != ''");
  EXPECT_EQ(db::parse_index("CREATE INDEX `a` ON `t` (`c`)").build(), "CREATE INDEX `a` ON `t` (`c`)");
  EXPECT_FALSE(db::parse_index("CREATE INDEX a ON t").valid());
  EXPECT_FALSE(db::parse_index("DROP TABLE x").valid());
  EXPECT_FALSE(db::parse_index("CREATE INDEX a ON t (c").valid());
  EXPECT_TRUE(db::find_single_column_unique_index({"CREATE UNIQUE INDEX i ON t (Email)"}, "email"));
  EXPECT_FALSE(db::find_single_column_unique_index({"CREATE UNIQUE INDEX i ON t (email, name)"}, "email"));
  EXPECT_FALSE(db::find_single_column_unique_index({"CREATE INDEX i ON t (email)"}, "email"));
}
