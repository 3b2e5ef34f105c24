// The realtime broker (auth-realtime-files.md §9): connected SSE clients, their subscriptions and
// bound auth, and a bounded queue of serialized frames per client.
//
// Host-neutral streaming: the core never blocks or owns a thread. A host that answered
// GET /api/realtime with a stream Response registers a wakeup callback for the client, and on
// each wakeup pulls whatever is queued with take() (non-blocking) and writes it to its transport;
// when the transport closes it calls disconnect(). Wakeups may run on any thread that published
// (the request's worker thread natively), so a host must only schedule work from them.
//
// PocketBase sends no keepalive pings; it drops a client after 5 minutes without a sent message
// and after 30 minutes in any case. sweep() applies both (the clock is injectable for tests);
// hosts call it from a timer, and App::handle calls it opportunistically so a host without
// timers still reclaims clients.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/realtime/subscription.h"
#include "core/record/record.h"
#include "core/schema/schema.h"

namespace larder::realtime {

using Clock = std::chrono::steady_clock;

struct BrokerConfig {
  size_t max_queue_frames = 1000;         // a client this far behind is dropped...
  size_t max_queue_bytes = 16u << 20;     // ...or this many bytes behind
  Clock::duration idle_timeout = std::chrono::minutes(5);
  Clock::duration max_lifetime = std::chrono::minutes(30);
  Clock::duration sweep_interval = std::chrono::seconds(5);
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

// The auth a client is bound to. The schema snapshot keeps the record's collection alive.
struct ClientAuth {
  std::shared_ptr<const record::Record> record;
  std::shared_ptr<const schema::Schema> schema;
};

// What fan-out needs of one client: a copy, so rules are evaluated without the broker lock.
struct SubscriberView {
  std::string client_id;
  ClientAuth auth;
  std::vector<Subscription> subscriptions;  // only the matching ones
};

enum class SubscribeStatus { Ok, UnknownClient, WrongIp, AuthMismatch };

class Broker {
 public:
  explicit Broker(BrokerConfig cfg = {});
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // A new client with a random 40-char id; its PB_CONNECT frame is already queued.
  std::string connect(std::string remote_ip);
  // Forgets the client (the transport closed). Unknown ids are ignored.
  void disconnect(const std::string& id);

  // Called whenever the client's queue becomes non-empty or the client must be closed; called
  // at once if either is already the case. One callback per client (a new one replaces it).
  void set_wakeup(const std::string& id, std::function<void()> wake);

  struct Chunk {
    std::string data;   // whole frames, at most max_bytes unless the first frame is larger
    bool open = true;   // false: close the transport (unknown, overflowed or expired client)
  };
  Chunk take(const std::string& id, size_t max_bytes);

  // POST /api/realtime: checks the client, its IP and auth binding, then replaces all of its
  // subscriptions (empty strings skipped) and binds `auth` when given.
  SubscribeStatus subscribe(const std::string& id, std::string_view remote_ip, ClientAuth auth,
                            const std::vector<std::string>& subscriptions);

  // An auth record was saved or deleted (as PocketBase's realtime hooks do): the clients bound to
  // it judge later events with the saved record, or as guests once it is gone.
  bool bound_to(std::string_view collection_id, std::string_view record_id) const;
  void update_auth(const ClientAuth& saved);
  void unset_auth(std::string_view collection_id, std::string_view record_id);

  // A one-shot message to one client (the OAuth2 redirect's `@oauth2` hand-over, api.md §7.5):
  // if client `id` is live and subscribed to exactly `topic`, that subscription is removed and, when the
  // client connected from `remote_ip`, `data` is queued as event `topic`.
  enum class OnceStatus { NoSubscriber, WrongIp, Sent };
  OnceStatus send_once(const std::string& id, std::string_view topic, std::string_view remote_ip,
                       std::string_view data);

  // Clients with at least one subscription whose topic passes `match`.
  std::vector<SubscriberView> subscribers(const std::function<bool(std::string_view topic)>& match) const;
  bool has_subscriptions() const;

  // Queues `id:<client>\nevent:<event>\ndata:<data>\n\n`. Overflow marks the client dead.
  void send(const std::string& id, std::string_view event, std::string_view data);

  // Closes clients idle or alive too long. sweep_if_due() does it at most every sweep_interval.
  void sweep();
  void sweep_if_due();

  size_t client_count() const;
  const BrokerConfig& config() const { return cfg_; }

 private:
  struct Client {
    std::string remote_ip;
    ClientAuth auth;
    std::vector<Subscription> subscriptions;
    std::deque<std::string> queue;
    size_t queued_bytes = 0;
    bool dead = false;
    Clock::time_point created, last_sent;
    std::shared_ptr<std::function<void()>> wake;
  };
  using Wakeups = std::vector<std::shared_ptr<std::function<void()>>>;

  // Both need mu_ held; push returns whether the client needs a wakeup.
  bool push_frame(const std::string& id, Client& c, std::string_view event, std::string_view data);
  static void run(const Wakeups& w);

  BrokerConfig cfg_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Client> clients_;
  Clock::time_point next_sweep_{};
};

// `id:<client>\nevent:<event>\ndata:<data>\n\n` (no spaces, one data line, no retry).
std::string sse_frame(std::string_view client_id, std::string_view event, std::string_view data);

}  // namespace larder::realtime
