// Outgoing mail as the core sees it: a rendered message handed to a Mailer. The App owns one
// Mailer; the default is the in-memory Outbox (outbox.h). A host that can reach a mail server
// (the native one, later over SMTP) installs its own Mailer with App::set_mailer — the core never
// does network I/O itself.
#pragma once

#include <string>

namespace larder::mail {

struct Address {
  std::string name;     // may be empty
  std::string address;  // "user@example.com"
};

struct Message {
  Address from;         // settings.meta senderName/senderAddress
  std::string to;       // one recipient (PocketBase's record mails always have exactly one)
  std::string subject;
  std::string html;
  std::string text;     // plain-text alternative derived from `html`
};

class Outbox;

class Mailer {
 public:
  virtual ~Mailer() = default;
  // The in-memory outbox mails currently go to, if any (GET /api/larder/outbox shows it).
  virtual Outbox* outbox() { return nullptr; }
  // Delivers or queues `msg`. Throws std::exception on failure; the API turns that into
  // PocketBase's "Failed to send …" answers. Called from request threads, so it must be
  // thread-safe and should not block for long.
  virtual void send(const Message& msg) = 0;
};

}  // namespace larder::mail
