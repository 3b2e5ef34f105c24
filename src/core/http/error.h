// PocketBase's error envelope: {"data":{...},"message":"...","status":N}.
//
// Handlers throw ApiError; App::handle turns it into the envelope. Messages are normalised to
// PocketBase's "sentence form" (trimmed, first letter upper-cased, final period added).
#pragma once

#include <exception>
#include <string>

#include "core/http/message.h"
#include "core/json/json.h"

namespace larder::http {

class ApiError : public std::exception {
 public:
  ApiError(int status, std::string message, json::Value data = json::Value::object());

  int status() const { return status_; }
  const std::string& message() const { return message_; }
  const json::Value& data() const { return data_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // The envelope as PocketBase writes it (key order data, message, status; trailing newline).
  Response to_response() const;

  static ApiError bad_request(std::string message = {}, json::Value data = json::Value::object());
  static ApiError unauthorized(std::string message = {});
  static ApiError forbidden(std::string message = {});
  static ApiError not_found(std::string message = {});
  static ApiError too_large(std::string message = {});
  static ApiError internal(std::string message = {});

 private:
  int status_;
  std::string message_;
  json::Value data_;
};

// Default message per status (api.md §1.4).
std::string default_message(int status);
// "failed to x" -> "Failed to x."
std::string sentence(std::string_view message);

}  // namespace larder::http
