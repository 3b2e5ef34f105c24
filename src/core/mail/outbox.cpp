// In-memory outbox (see outbox.h).
#include "core/mail/outbox.h"

#include "core/util/datetime.h"

namespace larder::mail {

void Outbox::send(const Message& msg) {
  StoredMessage stored{msg, util::format_datetime(util::now_utc())};
  std::lock_guard lock(mu_);
  messages_.push_back(std::move(stored));
  // Bounded so that a long-running server (or a flood of requests) cannot grow it forever.
  while (messages_.size() > kCapacity) messages_.pop_front();
}

std::vector<StoredMessage> Outbox::list() const {
  std::lock_guard lock(mu_);
  return {messages_.rbegin(), messages_.rend()};
}

void Outbox::clear() {
  std::lock_guard lock(mu_);
  messages_.clear();
}

}  // namespace larder::mail
