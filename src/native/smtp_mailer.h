// The native host's real Mailer: SMTP as PocketBase configures it (settings.smtp), with the
// sender taken from settings.meta by the core (mail::Message::from).
//
// The SMTP settings are looked up for every message (a function the host supplies reads the
// App's current settings snapshot), so a PATCH /api/settings takes effect at the next mail, as
// in PocketBase. While smtp.enabled is false, mail goes to the in-memory outbox instead.
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
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/json/json.h"
#include "core/mail/mailer.h"
#include "core/mail/outbox.h"

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

// settings.smtp of a decoded settings value when smtp.enabled is true and a host is set;
// nullopt otherwise.
std::optional<SmtpConfig> smtp_config_from(const json::Value& settings);

// One synchronous SMTP transaction (connect, [TLS], EHLO, [AUTH], MAIL, RCPT, DATA, QUIT).
// Throws std::runtime_error with the server's reply on failure. Used by the sender thread.
void smtp_deliver(const SmtpConfig& cfg, const mail::Message& msg);

// The RFC 5322 message (multipart/alternative text + html, base64 bodies), CRLF line ends.
std::string format_mime(const mail::Message& msg);

class SmtpMailer : public mail::Mailer {
 public:
  static constexpr size_t kQueueCapacity = 256;

  using ConfigSource = std::function<std::optional<SmtpConfig>()>;

  explicit SmtpMailer(ConfigSource config);
  // Delivers what is still queued, then stops the sender.
  ~SmtpMailer() override;

  void send(const mail::Message& msg) override;
  // The fallback outbox while SMTP is off; nullptr while it is on.
  mail::Outbox* outbox() override;

 private:
  void run();

  ConfigSource config_;
  mail::Outbox fallback_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<SmtpConfig, mail::Message>> queue_;  // each with the settings it was sent under
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace larder::native
