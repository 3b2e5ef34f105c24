// The native host's real Mailer: SMTP as PocketBase configures it (settings.smtp), with the
// sender taken from settings.meta by the core (mail::Message::from).
//
// Requests never wait on the mail server: send() only validates and queues (bounded; a full queue
// is a send failure the API reports like PocketBase's), and one background thread delivers, one
// connection per message. Every network step has a timeout, so a silent server cannot wedge
// the sender. TLS comes from OpenSSL when the build found it (LARDER_SMTP_TLS): `tls: true` is
// implicit TLS (port 465), otherwise STARTTLS is used whenever the server offers it, as Go's
// net/smtp does. Without OpenSSL only plain SMTP is possible, and credentials are then refused
// on anything but a loopback server.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/db/sqlite.h"
#include "core/mail/mailer.h"

namespace larder::native {

struct SmtpConfig {
  std::string host;
  uint16_t port = 587;
  std::string username;
  std::string password;
  std::string auth_method = "PLAIN";  // "PLAIN" or "LOGIN" (PocketBase's choices)
  bool tls = false;                   // implicit TLS from the first byte
  std::string local_name;             // EHLO name ("localhost" when empty, like Go)
  int timeout_seconds = 30;           // per network step
};

// settings.smtp from `_params` when smtp.enabled is true; nullopt otherwise (or unreadable).
std::optional<SmtpConfig> load_smtp_config(db::Connection& conn);

// One synchronous SMTP transaction (connect, [TLS], EHLO, [AUTH], MAIL, RCPT, DATA, QUIT).
// Throws std::runtime_error with the server's reply on failure. Used by the sender thread.
void smtp_deliver(const SmtpConfig& cfg, const mail::Message& msg);

// The RFC 5322 message (multipart/alternative text + html, base64 bodies), CRLF line ends.
std::string format_mime(const mail::Message& msg);

class SmtpMailer : public mail::Mailer {
 public:
  static constexpr size_t kQueueCapacity = 256;

  explicit SmtpMailer(SmtpConfig cfg);
  // Delivers what is still queued, then stops the sender.
  ~SmtpMailer() override;

  void send(const mail::Message& msg) override;

 private:
  void run();

  SmtpConfig cfg_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<mail::Message> queue_;
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace larder::native
