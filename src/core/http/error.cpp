// Error envelope construction.
#include "core/http/error.h"

namespace larder::http {

std::string default_message(int status) {
  switch (status) {
    case 400: return "Something went wrong while processing your request.";
    case 401: return "Missing or invalid authentication.";
    case 403: return "You are not allowed to perform this request.";
    case 404: return "The requested resource wasn't found.";
    case 413: return "Request entity too large.";
    case 429: return "Too Many Requests.";
    default: return "Something went wrong while processing your request.";
  }
}

std::string sentence(std::string_view message) {
  size_t b = message.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = message.find_last_not_of(" \t\r\n");
  std::string s(message.substr(b, e - b + 1));
  if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  char last = s.back();
  if (last != '.' && last != '?' && last != '!') s += '.';
  return s;
}

ApiError::ApiError(int status, std::string message, json::Value data)
    : status_(status), message_(sentence(message)), data_(std::move(data)) {
  if (message_.empty()) message_ = default_message(status);
  if (!data_.is_object()) data_ = json::Value::object();
}

Response ApiError::to_response() const {
  // data is a Go map in PocketBase (validation.Errors and params too): keys come out sorted.
  std::string body = "{\"data\":";
  json::write(json::go_map_copy(data_), body);
  body += ",\"message\":";
  json::write_string(message_, body);
  body += ",\"status\":";
  body += std::to_string(status_);
  body += "}\n";
  return Response::json(status_, std::move(body));
}

ApiError ApiError::bad_request(std::string m, json::Value d) { return ApiError(400, std::move(m), std::move(d)); }
ApiError ApiError::unauthorized(std::string m) { return ApiError(401, std::move(m)); }
ApiError ApiError::forbidden(std::string m) { return ApiError(403, std::move(m)); }
ApiError ApiError::not_found(std::string m) { return ApiError(404, std::move(m)); }
ApiError ApiError::too_large(std::string m) { return ApiError(413, std::move(m)); }
ApiError ApiError::internal(std::string m) { return ApiError(500, std::move(m)); }

}  // namespace larder::http
