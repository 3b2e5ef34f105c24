// Email templates: PocketBase's placeholders, HTML escaping of record values, the one-pass
// resolution (a value is never re-scanned), the plain-text alternative and the outbox bound.
#include <gtest/gtest.h>

#include "core/mail/outbox.h"
#include "core/mail/record_mail.h"
#include "core/mail/template.h"
#include "core/schema/defaults.h"

using namespace larder;

namespace {

schema::Collection users() {
  schema::Collection c;
  c.id = "_pb_users_auth_";
  c.name = "users";
  c.type = schema::CollectionType::Auth;
  auto add = [&](std::string name, schema::FieldType t, bool hidden = false) {
    schema::Field f;
    f.name = std::move(name);
    f.type = t;
    f.hidden = hidden;
    c.fields.push_back(f);
  };
  add("id", schema::FieldType::Text);
  add("email", schema::FieldType::Email);
  add("name", schema::FieldType::Text);
  add("age", schema::FieldType::Number);
  add("verified", schema::FieldType::Bool);
  add("tokenKey", schema::FieldType::Text, true);
  add("password", schema::FieldType::Password, true);
  return c;
}

record::Record user(const schema::Collection& c) {
  record::Record r;
  r.collection = &c;
  r.values.set("id", "abc123");
  r.values.set("email", "a@example.com");
  r.values.set("name", "<b>Tom & \"Jerry\"</b>");
  r.values.set("age", 42.0);
  r.values.set("verified", false);
  r.values.set("tokenKey", "secret-token-key");
  r.values.set("password", "$2a$10$hash");
  return r;
}

}  // namespace

TEST(MailTemplate, ResolvesKnownPlaceholdersAndKeepsUnknownOnes) {
  mail::Placeholders p{{"{APP_NAME}", "Acme"}, {"{TOKEN}", "t.o.k"}};
  EXPECT_EQ(mail::resolve("Hi {APP_NAME}: {TOKEN} {UNKNOWN} {", p), "Hi Acme: t.o.k {UNKNOWN} {");
  EXPECT_EQ(mail::resolve("{APP_NAME}{APP_NAME}", p), "AcmeAcme");
}

TEST(MailTemplate, ReplacementValuesAreNotRescanned) {
  mail::Placeholders p{{"{RECORD:name}", "{TOKEN}"}, {"{TOKEN}", "secret"}};
  EXPECT_EQ(mail::resolve("{RECORD:name} / {TOKEN}", p), "{TOKEN} / secret");
}

TEST(MailTemplate, RecordPlaceholdersAreEscapedAndSkipHiddenFields) {
  auto c = users();
  auto r = user(c);
  mail::Placeholders p;
  mail::add_record_placeholders(p, r);
  EXPECT_EQ(p.at("{RECORD:name}"), "&lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;");
  EXPECT_EQ(p.at("{RECORD:age}"), "42");
  EXPECT_EQ(p.at("{RECORD:verified}"), "false");
  EXPECT_EQ(p.at("{RECORD:email}"), "a@example.com");
  EXPECT_EQ(p.count("{RECORD:tokenKey}"), 0u);
  EXPECT_EQ(p.count("{RECORD:password}"), 0u);
}

TEST(MailTemplate, ExplicitPlaceholdersWinOverRecordOnes) {
  auto c = users();
  auto r = user(c);
  mail::Placeholders p{{"{RECORD:email}", "override"}};
  mail::add_record_placeholders(p, r);
  EXPECT_EQ(p.at("{RECORD:email}"), "override");
}

TEST(MailTemplate, RecordMessageUsesAppMetaAndTheDefaultVerificationTemplate) {
  auto c = users();
  auto r = user(c);
  mail::AppMeta meta;
  meta.app_name = "Pantry";
  meta.app_url = "https://pantry.test";
  mail::Message m = mail::record_message(meta, r, schema::default_verification_template(), {{"{TOKEN}", "TKN"}},
                                         "a@example.com");
  EXPECT_EQ(m.subject, "Verify your Pantry email");
  EXPECT_EQ(m.to, "a@example.com");
  EXPECT_EQ(m.from.address, "support@example.com");
  EXPECT_NE(m.html.find("https://pantry.test/_/#/auth/confirm-verification/TKN"), std::string::npos);
  EXPECT_EQ(m.html.find("{"), std::string::npos) << m.html;
  EXPECT_NE(m.text.find("(https://pantry.test/_/#/auth/confirm-verification/TKN)"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find('<'), std::string::npos) << m.text;
}

TEST(MailTemplate, OtpTemplateCarriesTheCode) {
  auto c = users();
  auto r = user(c);
  mail::Message m = mail::record_message(mail::AppMeta{}, r, schema::default_otp_template(),
                                         {{"{OTP}", "12345678"}, {"{OTP_ID}", "otpid"}}, "a@example.com");
  EXPECT_EQ(m.subject, "OTP for Acme");
  EXPECT_NE(m.html.find("<strong>12345678</strong>"), std::string::npos);
  EXPECT_NE(m.text.find("12345678"), std::string::npos);
}

TEST(MailTemplate, HtmlToText) {
  EXPECT_EQ(mail::html_to_text("<p>Hi,</p>\n<p>a &amp; b<br/>c</p><style>p{}</style>"), "Hi,\n\na & b\nc");
  EXPECT_EQ(mail::html_to_text("<a href=\"https://x\">go</a>"), "go (https://x)");
}

TEST(MailOutbox, KeepsTheNewest200NewestFirst) {
  mail::Outbox box;
  for (int i = 0; i < 205; ++i) {
    mail::Message m;
    m.to = "u" + std::to_string(i) + "@x.io";
    box.send(m);
  }
  auto all = box.list();
  ASSERT_EQ(all.size(), mail::Outbox::kCapacity);
  EXPECT_EQ(all.front().message.to, "u204@x.io");
  EXPECT_EQ(all.back().message.to, "u5@x.io");
  EXPECT_FALSE(all.front().sent_at.empty());
  box.clear();
  EXPECT_TRUE(box.list().empty());
}
