// SmtpMailer: settings, message formatting and the background sender (see smtp_mailer.h).
#include "native/smtp_mailer.h"

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "core/crypto/base64.h"
#include "core/crypto/random.h"
#include "core/json/json.h"

namespace larder::native {

std::optional<SmtpConfig> smtp_config_from(const json::Value& settings) {
  const json::Value* smtp = settings.find("smtp");
  if (!smtp || !smtp->is_object()) return std::nullopt;
  const json::Value* enabled = smtp->find("enabled");
  if (!enabled || !enabled->is_bool() || !enabled->as_bool()) return std::nullopt;
  SmtpConfig cfg;
  auto text = [&](std::string_view key, std::string& out) {
    const json::Value* v = smtp->find(key);
    if (v && v->is_string()) out = v->as_string();
  };
  text("host", cfg.host);
  text("username", cfg.username);
  text("password", cfg.password);
  text("localName", cfg.local_name);
  std::string method;
  text("authMethod", method);
  if (method == "LOGIN") cfg.auth_method = "LOGIN";
  if (const json::Value* p = smtp->find("port"); p && p->is_number() && p->as_number() > 0 && p->as_number() < 65536)
    cfg.port = static_cast<uint16_t>(p->as_number());
  if (const json::Value* t = smtp->find("tls"); t && t->is_bool()) cfg.tls = t->as_bool();
  if (cfg.host.empty()) return std::nullopt;
  return cfg;
}

namespace {

bool is_ascii(std::string_view s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return false;
  return true;
}

// A header value on one line: CR/LF would let a subject or name inject headers.
std::string one_line(std::string_view s) {
  std::string out;
  for (char ch : s) out += (ch == '\r' || ch == '\n') ? ' ' : ch;
  return out;
}

// RFC 2047 encoded-word for non-ASCII header text.
std::string header_text(std::string_view s) {
  std::string line = one_line(s);
  if (is_ascii(line)) return line;
  return "=?UTF-8?B?" + crypto::base64_encode(line) + "?=";
}

std::string format_address(const mail::Address& a) {
  if (a.name.empty()) return "<" + one_line(a.address) + ">";
  std::string name = one_line(a.name);
  if (!is_ascii(name)) return header_text(name) + " <" + one_line(a.address) + ">";
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  return quoted + "\" <" + one_line(a.address) + ">";
}

// Base64 in 76-character lines (RFC 2045).
std::string base64_lines(std::string_view body) {
  std::string b64 = crypto::base64_encode(body), out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string rfc5322_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string format_mime(const mail::Message& msg) {
  std::string boundary = "larder-" + crypto::random_lower_alnum(24);
  std::string domain = msg.from.address.substr(msg.from.address.find('@') + 1);
  std::string m;
  m += "From: " + format_address(msg.from) + "\r\n";
  m += "To: <" + one_line(msg.to) + ">\r\n";
  m += "Subject: " + header_text(msg.subject) + "\r\n";
  m += "Date: " + rfc5322_date() + "\r\n";
  m += "Message-ID: <" + crypto::random_lower_alnum(30) + "@" + one_line(domain) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += base64_lines(msg.text);
  m += "--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += base64_lines(msg.html);
  m += "--" + boundary + "--\r\n";
  return m;
}

SmtpMailer::SmtpMailer(ConfigSource config) : config_(std::move(config)), sender_([this] { run(); }) {}

SmtpMailer::~SmtpMailer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  sender_.join();
}

mail::Outbox* SmtpMailer::outbox() { return config_() ? nullptr : &fallback_; }

void SmtpMailer::send(const mail::Message& msg) {
  std::optional<SmtpConfig> cfg = config_();
  if (!cfg) {
    fallback_.send(msg);
    return;
  }
  // Checked here, not in the sender, so that the API can still answer "Failed to send …".
  if (msg.to.empty() || msg.to.find_first_of("\r\n<>") != std::string::npos)
    throw std::runtime_error("invalid recipient address");
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kQueueCapacity) throw std::runtime_error("the SMTP queue is full");
    queue_.emplace_back(std::move(*cfg), msg);
  }
  cv_.notify_one();
}

void SmtpMailer::run() {
  for (;;) {
    std::pair<SmtpConfig, mail::Message> item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued went out
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    const mail::Message& msg = item.second;
    try {
      smtp_deliver(item.first, msg);
    } catch (const std::exception& e) {
      // Like PocketBase's background mails: logged, not retried.
      std::fprintf(stderr, "larder: failed to send \"%s\" to %s over SMTP: %s\n", msg.subject.c_str(),
                   msg.to.c_str(), e.what());
    }
  }
}

}  // namespace larder::native
