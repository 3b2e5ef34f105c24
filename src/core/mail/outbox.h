// The default Mailer: keeps the newest 200 messages in memory instead of sending them. It makes
// the mail-driven flows (verification, password reset, email change, OTP) usable and testable
// on hosts without a mail server — the browser, Node, and `larder serve` until SMTP is set up.
// Superusers read it at GET /api/larder/outbox (api/outbox.cpp).
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "core/mail/mailer.h"

namespace larder::mail {

struct StoredMessage {
  Message message;
  std::string sent_at;  // PocketBase datetime, "2026-01-02 03:04:05.678Z"
};

class Outbox : public Mailer {
 public:
  static constexpr size_t kCapacity = 200;

  void send(const Message& msg) override;
  Outbox* outbox() override { return this; }
  // Newest first, so a test (or a developer) finds the mail just triggered at index 0.
  std::vector<StoredMessage> list() const;
  void clear();

 private:
  mutable std::mutex mu_;
  std::deque<StoredMessage> messages_;  // oldest at the front
};

}  // namespace larder::mail
