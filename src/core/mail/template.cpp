// Placeholder resolution and the plain-text alternative (see template.h).
#include "core/mail/template.h"

#include <cctype>

#include "core/json/json.h"
#include "core/record/codec.h"

namespace larder::mail {

namespace {

// PocketBase's record.GetString: strings as they are, numbers and bools in Go's cast format,
// anything else (lists, JSON, geo points) as its JSON text.
std::string value_string(const json::Value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return v->as_string();
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  if (v->is_number()) return record::number_to_string(v->as_number());
  if (v->is_raw()) return v->as_raw().text;
  return json::dump(*v);
}

bool starts_with_ci(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[at + i])) != prefix[i]) return false;
  return true;
}

void collapse_blank_lines(std::string& out) {
  std::string result;
  int newlines = 0;
  bool line_has_text = false;
  std::string line;
  auto flush = [&] {
    // Trim each line; keep at most one empty line between paragraphs.
    size_t b = line.find_first_not_of(" \t");
    size_t e = line.find_last_not_of(" \t");
    std::string trimmed = b == std::string::npos ? "" : line.substr(b, e - b + 1);
    if (trimmed.empty()) {
      if (line_has_text && newlines < 1) ++newlines, result += '\n';
    } else {
      result += trimmed;
      result += '\n';
      newlines = 0;
      line_has_text = true;
    }
    line.clear();
  };
  for (char ch : out) {
    if (ch == '\n') flush();
    else line += ch == '\t' || ch == '\r' ? ' ' : ch;
  }
  flush();
  while (!result.empty() && result.back() == '\n') result.pop_back();
  out = std::move(result);
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&#39;"; break;
      case '"': out += "&#34;"; break;
      default: out += ch;
    }
  }
  return out;
}

void add_record_placeholders(Placeholders& p, const record::Record& rec) {
  if (!rec.collection) return;
  for (const auto& f : rec.collection->fields) {
    if (f.hidden) continue;
    std::string key = "{RECORD:" + f.name + "}";
    if (p.find(key) != p.end()) continue;
    p.emplace(std::move(key), html_escape(value_string(rec.get(f.name))));
  }
}

std::string resolve(std::string_view text, const Placeholders& p) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        auto it = p.find(text.substr(i, close - i + 1));
        if (it != p.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  std::string href;
  size_t i = 0;
  while (i < html.size()) {
    char ch = html[i];
    if (ch == '<') {
      size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, close - i - 1);
      // Nothing inside <style>/<script>/<head> is text.
      for (std::string_view skip : {"style", "script", "head"}) {
        if (starts_with_ci(tag, 0, skip)) {
          size_t end = std::string_view::npos;
          for (size_t j = close; j < html.size(); ++j)
            if (html[j] == '<' && starts_with_ci(html, j, "</") && starts_with_ci(html, j + 2, skip)) {
              end = html.find('>', j);
              break;
            }
          close = end == std::string_view::npos ? html.size() - 1 : end;
          tag = {};
          break;
        }
      }
      if (starts_with_ci(tag, 0, "br") || starts_with_ci(tag, 0, "/p") || starts_with_ci(tag, 0, "/div") ||
          starts_with_ci(tag, 0, "/h") || starts_with_ci(tag, 0, "/tr") || starts_with_ci(tag, 0, "/li")) {
        out += '\n';
      } else if (starts_with_ci(tag, 0, "p") || starts_with_ci(tag, 0, "div") || starts_with_ci(tag, 0, "li")) {
        out += '\n';
      } else if (starts_with_ci(tag, 0, "a ")) {
        size_t h = tag.find("href=\"");
        if (h != std::string_view::npos) {
          size_t e = tag.find('"', h + 6);
          href = std::string(tag.substr(h + 6, e == std::string_view::npos ? std::string_view::npos : e - h - 6));
        }
      } else if (starts_with_ci(tag, 0, "/a") && !href.empty()) {
        out += " (" + href + ")";
        href.clear();
      }
      i = close + 1;
      continue;
    }
    if (ch == '&') {
      static const std::pair<std::string_view, char> entities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#34;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};
      bool matched = false;
      for (const auto& [name, rep] : entities) {
        if (html.substr(i, name.size()) == name) {
          out += rep;
          i += name.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out += ch == '\n' ? ' ' : ch;
    ++i;
  }
  collapse_blank_lines(out);
  return out;
}

Rendered render(const schema::EmailTemplate& t, const Placeholders& p) {
  Rendered r;
  r.subject = resolve(t.subject, p);
  r.html = resolve(t.body, p);
  r.text = html_to_text(r.html);
  return r;
}

}  // namespace larder::mail
