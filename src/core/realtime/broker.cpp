// Broker bookkeeping. Wakeup callbacks always run after mu_ is released: a host may call
// take() from inside one (the wasm host does, synchronously).
#include "core/realtime/broker.h"

#include <algorithm>

#include "core/crypto/random.h"
#include "core/json/json.h"

namespace larder::realtime {

std::string sse_frame(std::string_view client_id, std::string_view event, std::string_view data) {
  std::string f;
  f.reserve(client_id.size() + event.size() + data.size() + 20);
  f.append("id:").append(client_id).append("\nevent:").append(event).append("\ndata:").append(data).append("\n\n");
  return f;
}

Broker::Broker(BrokerConfig cfg) : cfg_(std::move(cfg)) {}

void Broker::run(const Wakeups& w) {
  for (const auto& f : w)
    if (f && *f) (*f)();
}

std::string Broker::connect(std::string remote_ip) {
  std::string id = crypto::random_alnum(40);
  std::lock_guard lock(mu_);
  Client& c = clients_[id];
  c.remote_ip = std::move(remote_ip);
  c.created = c.last_sent = cfg_.now();
  std::string data;
  json::Object o;
  o.set("clientId", id);
  json::write(json::Value(std::move(o)), data);
  push_frame(id, c, "PB_CONNECT", data);
  return id;
}

void Broker::disconnect(const std::string& id) {
  std::shared_ptr<std::function<void()>> keep;  // destroyed after the lock is released
  std::lock_guard lock(mu_);
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  keep = std::move(it->second.wake);
  clients_.erase(it);
}

void Broker::set_wakeup(const std::string& id, std::function<void()> wake) {
  Wakeups now;
  {
    std::lock_guard lock(mu_);
    auto it = clients_.find(id);
    auto fn = std::make_shared<std::function<void()>>(std::move(wake));
    if (it == clients_.end()) {
      now.push_back(fn);  // already gone: let the host find out through take()
    } else {
      it->second.wake = fn;
      if (it->second.dead || !it->second.queue.empty()) now.push_back(fn);
    }
  }
  run(now);
}

Broker::Chunk Broker::take(const std::string& id, size_t max_bytes) {
  Chunk out;
  std::lock_guard lock(mu_);
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second.dead) {
    out.open = false;
    return out;
  }
  Client& c = it->second;
  while (!c.queue.empty() && (out.data.empty() || out.data.size() + c.queue.front().size() <= max_bytes)) {
    c.queued_bytes -= c.queue.front().size();
    out.data += c.queue.front();
    c.queue.pop_front();
  }
  if (!out.data.empty()) c.last_sent = cfg_.now();
  return out;
}

bool Broker::push_frame(const std::string& id, Client& c, std::string_view event, std::string_view data) {
  if (c.dead) return false;
  bool was_empty = c.queue.empty();
  std::string f = sse_frame(id, event, data);
  if (c.queue.size() + 1 > cfg_.max_queue_frames || c.queued_bytes + f.size() > cfg_.max_queue_bytes) {
    // A client that cannot keep up is dropped rather than slowing everyone (or growing
    // without bound); the SDK reconnects and resubscribes.
    c.dead = true;
    c.queue.clear();
    c.queued_bytes = 0;
    return true;
  }
  c.queued_bytes += f.size();
  c.queue.push_back(std::move(f));
  return was_empty;
}

void Broker::send(const std::string& id, std::string_view event, std::string_view data) {
  Wakeups w;
  {
    std::lock_guard lock(mu_);
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    if (push_frame(id, it->second, event, data)) w.push_back(it->second.wake);
  }
  run(w);
}

Broker::OnceStatus Broker::send_once(const std::string& id, std::string_view topic, std::string_view remote_ip,
                                     std::string_view data) {
  Wakeups w;
  OnceStatus status = OnceStatus::NoSubscriber;
  {
    std::lock_guard lock(mu_);
    auto it = clients_.find(id);
    if (it == clients_.end() || it->second.dead) return status;
    Client& c = it->second;
    auto sub = std::find_if(c.subscriptions.begin(), c.subscriptions.end(),
                            [&](const Subscription& s) { return s.key == topic; });
    if (sub == c.subscriptions.end()) return status;
    // Whatever happens next the subscription is used up, so a state can be tried only once.
    c.subscriptions.erase(std::remove_if(c.subscriptions.begin(), c.subscriptions.end(),
                                         [&](const Subscription& s) { return s.key == topic; }),
                          c.subscriptions.end());
    // The browser that finished the sign-in must be the one that opened the connection.
    if (!c.remote_ip.empty() && c.remote_ip != remote_ip) return OnceStatus::WrongIp;
    if (push_frame(id, c, topic, data)) w.push_back(c.wake);
    status = OnceStatus::Sent;
  }
  run(w);
  return status;
}

SubscribeStatus Broker::subscribe(const std::string& id, std::string_view remote_ip, ClientAuth auth,
                                  const std::vector<std::string>& subscriptions) {
  std::vector<Subscription> parsed;
  for (const auto& s : subscriptions)
    if (!s.empty()) parsed.push_back(parse_subscription(s));
  ClientAuth old;  // released after the lock
  std::lock_guard lock(mu_);
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second.dead) return SubscribeStatus::UnknownClient;
  Client& c = it->second;
  if (c.remote_ip != remote_ip) return SubscribeStatus::WrongIp;
  if (c.auth.record) {
    // Guest → auth is an upgrade; auth → another auth or guest is refused.
    const auto& a = *c.auth.record;
    const auto* b = auth.record.get();
    if (!b || b->id() != a.id() || !b->collection || !a.collection || b->collection->id != a.collection->id)
      return SubscribeStatus::AuthMismatch;
  }
  if (auth.record) {
    old = std::move(c.auth);
    c.auth = std::move(auth);
  }
  c.subscriptions = std::move(parsed);
  return SubscribeStatus::Ok;
}

namespace {

bool is_bound(const ClientAuth& a, std::string_view collection_id, std::string_view record_id) {
  return a.record && a.record->collection && a.record->collection->id == collection_id && a.record->id() == record_id;
}

}  // namespace

bool Broker::bound_to(std::string_view collection_id, std::string_view record_id) const {
  std::lock_guard lock(mu_);
  for (const auto& [id, c] : clients_)
    if (!c.dead && is_bound(c.auth, collection_id, record_id)) return true;
  return false;
}

void Broker::update_auth(const ClientAuth& saved) {
  if (!saved.record || !saved.record->collection) return;
  std::vector<ClientAuth> old;  // released after the lock
  std::lock_guard lock(mu_);
  for (auto& [id, c] : clients_) {
    if (!is_bound(c.auth, saved.record->collection->id, saved.record->id())) continue;
    old.push_back(std::move(c.auth));
    c.auth = saved;
  }
}

void Broker::unset_auth(std::string_view collection_id, std::string_view record_id) {
  std::vector<ClientAuth> old;
  std::lock_guard lock(mu_);
  for (auto& [id, c] : clients_) {
    if (!is_bound(c.auth, collection_id, record_id)) continue;
    old.push_back(std::move(c.auth));
    c.auth = {};
  }
}

std::vector<SubscriberView> Broker::subscribers(const std::function<bool(std::string_view)>& match) const {
  std::vector<SubscriberView> out;
  std::lock_guard lock(mu_);
  for (const auto& [id, c] : clients_) {
    if (c.dead) continue;
    SubscriberView v;
    for (const auto& s : c.subscriptions)
      if (match(s.topic)) v.subscriptions.push_back(s);
    if (v.subscriptions.empty()) continue;
    v.client_id = id;
    v.auth = c.auth;
    out.push_back(std::move(v));
  }
  return out;
}

bool Broker::has_subscriptions() const {
  std::lock_guard lock(mu_);
  for (const auto& [id, c] : clients_)
    if (!c.dead && !c.subscriptions.empty()) return true;
  return false;
}

void Broker::sweep() {
  Wakeups w;
  {
    std::lock_guard lock(mu_);
    Clock::time_point now = cfg_.now();
    next_sweep_ = now + cfg_.sweep_interval;
    for (auto it = clients_.begin(); it != clients_.end();) {
      Client& c = it->second;
      // A client no host streams (it never registered a wakeup) is forgotten once it is dead;
      // a streamed one is forgotten when its host calls disconnect().
      if (c.dead && !c.wake) {
        it = clients_.erase(it);
        continue;
      }
      // A streamed client with frames still queued is being written to, not idle; one that no
      // host streams is idle whatever it has queued.
      bool idle = (c.queue.empty() || !c.wake) && now - c.last_sent >= cfg_.idle_timeout;
      if (!c.dead && (idle || now - c.created >= cfg_.max_lifetime)) {
        c.dead = true;
        c.queue.clear();
        c.queued_bytes = 0;
        if (c.wake) w.push_back(c.wake);
      }
      ++it;
    }
  }
  run(w);
}

void Broker::sweep_if_due() {
  {
    std::lock_guard lock(mu_);
    if (cfg_.now() < next_sweep_) return;
  }
  sweep();
}

size_t Broker::client_count() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

}  // namespace larder::realtime
