// Email templates with PocketBase's placeholders (mails/record.go, EmailTemplate.Resolve):
// {APP_NAME}, {APP_URL}, {TOKEN}, {OTP}, {OTP_ID}, {ALERT_INFO} and {RECORD:<field>} for every
// non-hidden field of the auth record (HTML-escaped, as PocketBase does "in case the email is
// rendered as plain HTML").
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/record/record.h"
#include "core/schema/collection.h"

namespace larder::mail {

// Placeholder (with braces, e.g. "{TOKEN}") -> replacement text.
using Placeholders = std::map<std::string, std::string, std::less<>>;

// Go's html.EscapeString: & < > ' " (as &amp; &lt; &gt; &#39; &#34;).
std::string html_escape(std::string_view s);

// Adds {RECORD:<name>} for every non-hidden field of `rec`'s collection, unless the caller set
// that placeholder already (PocketBase lets explicit placeholders win).
void add_record_placeholders(Placeholders& p, const record::Record& rec);

// Replaces every known placeholder in one left-to-right pass. Unlike Go's loop over a map (whose
// order is random), a replacement value is never itself scanned for placeholders, so a user who
// names themselves "{TOKEN}" cannot pull the token into another field. Unknown {…} stay as is.
std::string resolve(std::string_view text, const Placeholders& p);

// A plain-text alternative of an HTML body: tags dropped, <br>/<p>/<div> as line breaks,
// links as "text (url)", the common entities decoded, blank runs collapsed.
std::string html_to_text(std::string_view html);

struct Rendered {
  std::string subject;
  std::string html;
  std::string text;
};
Rendered render(const schema::EmailTemplate& t, const Placeholders& p);

}  // namespace larder::mail
