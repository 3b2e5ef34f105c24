// The realtime broker and record events: subscription options, auth binding, queue overflow,
// idle expiry with an injected clock, and per-subscriber rule filtering against a copy of
// PocketBase's test database (tests/fixtures/pocketbase-testdata).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/db/sqlite.h"
#include "core/realtime/broker.h"
#include "core/realtime/record_events.h"
#include "core/record/store.h"
#include "core/schema/schema.h"

namespace fs = std::filesystem;
using namespace larder;
using namespace larder::realtime;

namespace {

std::string event_of(const std::string& frames) {
  auto p = frames.find("event:");
  return frames.substr(p + 6, frames.find('\n', p) - p - 6);
}

TEST(RealtimeSubscription, ParsesOptions) {
  auto s = parse_subscription(
      "posts/*?options=%7B%22query%22%3A%7B%22expand%22%3A%22author%22%2C%22n%22%3A1%2C%22b%22%3Atrue%7D%2C"
      "%22headers%22%3A%7B%22X-Custom-Token%22%3A%22abc%22%7D%7D");
  EXPECT_EQ(s.topic, "posts/*");
  EXPECT_EQ(s.query.find("expand")->as_string(), "author");
  EXPECT_EQ(s.query.find("n")->as_string(), "1");
  EXPECT_EQ(s.query.find("b")->as_string(), "true");
  EXPECT_EQ(s.headers.find("x_custom_token")->as_string(), "abc");
  EXPECT_EQ(s.key.substr(0, 8), "posts/*?");
}

TEST(RealtimeSubscription, MalformedOptionsAreIgnored) {
  auto s = parse_subscription("posts/abc?options=%7Bnot-json");
  EXPECT_EQ(s.topic, "posts/abc");
  EXPECT_TRUE(s.query.empty());
  EXPECT_TRUE(s.headers.empty());
  auto plain = parse_subscription("@oauth2");
  EXPECT_EQ(plain.topic, "@oauth2");
}

TEST(RealtimeBroker, ConnectQueuesPbConnect) {
  Broker b;
  std::string id = b.connect("1.2.3.4");
  ASSERT_EQ(id.size(), 40u);
  int wakes = 0;
  b.set_wakeup(id, [&] { ++wakes; });
  EXPECT_EQ(wakes, 1);  // data already pending
  auto c = b.take(id, 1 << 16);
  EXPECT_TRUE(c.open);
  EXPECT_EQ(c.data, "id:" + id + "\nevent:PB_CONNECT\ndata:{\"clientId\":\"" + id + "\"}\n\n");
  EXPECT_TRUE(b.take(id, 1 << 16).data.empty());
  b.send(id, "x", "{}");
  EXPECT_EQ(wakes, 2);
  b.disconnect(id);
  EXPECT_FALSE(b.take(id, 1 << 16).open);
}

TEST(RealtimeBroker, SubscribeChecksClientIpAndAuth) {
  Broker b;
  std::string id = b.connect("1.2.3.4");
  EXPECT_EQ(b.subscribe("nope", "1.2.3.4", {}, {"a"}), SubscribeStatus::UnknownClient);
  EXPECT_EQ(b.subscribe(id, "9.9.9.9", {}, {"a"}), SubscribeStatus::WrongIp);
  schema::Collection users;
  users.id = "_pb_users_auth_";
  auto u1 = std::make_shared<record::Record>();
  u1->collection = &users;
  u1->values.set("id", "u1");
  auto u2 = std::make_shared<record::Record>(*u1);
  u2->values.set("id", "u2");
  EXPECT_EQ(b.subscribe(id, "1.2.3.4", {}, {"a", ""}), SubscribeStatus::Ok);  // guest
  EXPECT_EQ(b.subscribe(id, "1.2.3.4", {u1, nullptr}, {"a"}), SubscribeStatus::Ok);  // upgrade
  EXPECT_EQ(b.subscribe(id, "1.2.3.4", {u2, nullptr}, {"a"}), SubscribeStatus::AuthMismatch);
  EXPECT_EQ(b.subscribe(id, "1.2.3.4", {}, {"a"}), SubscribeStatus::AuthMismatch);
  EXPECT_EQ(b.subscribe(id, "1.2.3.4", {u1, nullptr}, {"b", "c"}), SubscribeStatus::Ok);
  auto subs = b.subscribers([](std::string_view t) { return t == "a" || t == "c"; });
  ASSERT_EQ(subs.size(), 1u);
  ASSERT_EQ(subs[0].subscriptions.size(), 1u);  // replaced, not merged
  EXPECT_EQ(subs[0].subscriptions[0].key, "c");
}

TEST(RealtimeBroker, BoundAuthFollowsSavesAndDeletes) {
  Broker b;
  schema::Collection users;
  users.id = "_pb_users_auth_";
  auto u1 = std::make_shared<record::Record>();
  u1->collection = &users;
  u1->values.set("id", "u1");
  u1->values.set("verified", false);
  std::string a = b.connect("ip"), guest = b.connect("ip");
  ASSERT_EQ(b.subscribe(a, "ip", {u1, nullptr}, {"t"}), SubscribeStatus::Ok);
  ASSERT_EQ(b.subscribe(guest, "ip", {}, {"t"}), SubscribeStatus::Ok);
  EXPECT_TRUE(b.bound_to("_pb_users_auth_", "u1"));
  EXPECT_FALSE(b.bound_to("_pb_users_auth_", "u2"));
  EXPECT_FALSE(b.bound_to("other", "u1"));

  auto saved = std::make_shared<record::Record>(*u1);
  saved->values.set("verified", true);
  b.update_auth({saved, nullptr});
  auto auth_of = [&](const std::string& id) {
    for (const auto& v : b.subscribers([](std::string_view) { return true; }))
      if (v.client_id == id) return v.auth.record;
    return std::shared_ptr<const record::Record>();
  };
  ASSERT_TRUE(auth_of(a));
  EXPECT_TRUE(auth_of(a)->values.find("verified")->as_bool());
  EXPECT_FALSE(auth_of(guest));  // a guest stays a guest

  b.unset_auth("_pb_users_auth_", "u1");
  EXPECT_FALSE(auth_of(a));
  EXPECT_FALSE(b.bound_to("_pb_users_auth_", "u1"));
  // A guest again: it may now bind a (new) auth, as after a fresh sign-in.
  EXPECT_EQ(b.subscribe(a, "ip", {u1, nullptr}, {"t"}), SubscribeStatus::Ok);
}

TEST(RealtimeBroker, OverflowMarksClientDead) {
  BrokerConfig cfg;
  cfg.max_queue_frames = 3;
  Broker b(cfg);
  std::string id = b.connect("ip");  // PB_CONNECT is frame 1
  b.send(id, "e", "1");
  b.send(id, "e", "2");
  EXPECT_TRUE(b.take(id, 1).open);  // takes one whole frame even over max_bytes
  b.send(id, "e", "3");
  b.send(id, "e", "4");  // fourth frame queued: over the bound
  EXPECT_FALSE(b.take(id, 1 << 16).open);
  EXPECT_EQ(b.subscribe(id, "ip", {}, {"x"}), SubscribeStatus::UnknownClient);
}

TEST(RealtimeBroker, IdleClientsExpire) {
  Clock::time_point now{};
  BrokerConfig cfg;
  cfg.now = [&] { return now; };
  Broker b(cfg);
  std::string active = b.connect("ip");
  std::string idle = b.connect("ip");
  std::string unstreamed = b.connect("ip");
  int woke = 0;
  b.set_wakeup(active, [] {});
  b.set_wakeup(idle, [&] { ++woke; });
  b.take(active, 1 << 16);
  b.take(idle, 1 << 16);
  now += std::chrono::minutes(4);
  b.send(active, "e", "{}");
  b.take(active, 1 << 16);  // a sent message restarts the idle timer
  now += std::chrono::minutes(2);
  woke = 0;
  b.sweep();
  EXPECT_EQ(woke, 1);
  EXPECT_TRUE(b.take(active, 1 << 16).open);
  EXPECT_FALSE(b.take(idle, 1 << 16).open);
  b.sweep();  // dead and never streamed: forgotten
  EXPECT_EQ(b.client_count(), 2u);
  (void)unstreamed;
  now += std::chrono::minutes(30);
  b.sweep();
  EXPECT_FALSE(b.take(active, 1 << 16).open);  // 30 minutes is the hard limit
}

// ---- record events against the fixture --------------------------------------------------------
struct Fixture : ::testing::Test {
  fs::path dir;
  std::unique_ptr<db::Connection> conn;
  std::shared_ptr<const schema::Schema> schema;

  void SetUp() override {
    const fs::path src = fs::path(LARDER_FIXTURES_DIR) / "pocketbase-testdata/data.db";
    dir = fs::temp_directory_path() / ("larder-realtime-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir);
    fs::copy_file(src, dir / "data.db", fs::copy_options::overwrite_existing);
    conn = std::make_unique<db::Connection>((dir / "data.db").string());
    schema = schema::Schema::load(*conn);
  }
  void TearDown() override {
    conn.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::shared_ptr<const record::Record> load(std::string_view coll, std::string_view id) {
    const schema::Collection* c = schema->find(coll);
    return record::find_by_id(*conn, *c, id);
  }
};

TEST_F(Fixture, ListRuleFiltersPerSubscriber) {
  Broker b;
  std::string guest = b.connect("ip");
  std::string client = b.connect("ip");
  std::string su = b.connect("ip");
  // demo3's rules require an auth record outside `users` (e.g. a `clients` record).
  auto client_rec = load("clients", "gk390qegs4y47wn");
  auto su_rec = load("_superusers", "sywbhecnh46rhm0");
  ASSERT_TRUE(client_rec && su_rec);
  ASSERT_EQ(b.subscribe(guest, "ip", {}, {"demo3/*"}), SubscribeStatus::Ok);
  ASSERT_EQ(b.subscribe(client, "ip", {client_rec, schema}, {"demo3/*", "demo3/1tmknxy2868d869?options=%7B%22query%22%3A%7B%22fields%22%3A%22id%22%7D%7D"}), SubscribeStatus::Ok);
  ASSERT_EQ(b.subscribe(su, "ip", {su_rec, schema}, {"wzlqyes4orhoygb/*"}), SubscribeStatus::Ok);
  for (auto& id : {guest, client, su}) b.take(id, 1 << 16);

  auto rec = load("demo3", "1tmknxy2868d869");
  ASSERT_TRUE(rec);
  auto events = record_events(*conn, *schema, b, *rec, Action::Update);
  deliver(b, events);
  EXPECT_TRUE(b.take(guest, 1 << 16).data.empty());
  std::string got = b.take(client, 1 << 16).data;
  EXPECT_NE(got.find("event:demo3/*\ndata:{\"record\":{"), std::string::npos);
  EXPECT_NE(got.find("\"action\":\"update\"}"), std::string::npos);
  EXPECT_NE(got.find("data:{\"record\":{\"id\":\"1tmknxy2868d869\"},\"action\":\"update\"}"), std::string::npos);
  std::string sug = b.take(su, 1 << 16).data;
  EXPECT_EQ(event_of(sug), "wzlqyes4orhoygb/*");
}

TEST_F(Fixture, FilterOptionAndNullRule) {
  Broker b;
  std::string guest = b.connect("ip");
  // demo2: public rules; the subscription's own filter still applies.
  ASSERT_EQ(b.subscribe(guest, "ip", {},
                        {"demo2/*?options=%7B%22query%22%3A%7B%22filter%22%3A%22title%3D'test2'%22%7D%7D", "demo1/*"}),
            SubscribeStatus::Ok);
  b.take(guest, 1 << 16);
  auto t1 = load("demo2", "llvuca81nly1qls");  // title test1
  auto t2 = load("demo2", "achvryl401bhse3");  // title test2
  auto d1 = load("demo1", "84nmscqy84lsi1t");  // demo1 listRule is null: superusers only
  deliver(b, record_events(*conn, *schema, b, *t1, Action::Create));
  deliver(b, record_events(*conn, *schema, b, *d1, Action::Create));
  EXPECT_TRUE(b.take(guest, 1 << 16).data.empty());
  deliver(b, record_events(*conn, *schema, b, *t2, Action::Delete));
  EXPECT_NE(b.take(guest, 1 << 16).data.find("\"action\":\"delete\""), std::string::npos);
}

}  // namespace
