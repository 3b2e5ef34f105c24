// PocketBase's record mails (mails/record.go): the collection's template for the mail type,
// rendered with the app's name/URL from settings.meta and the record's fields, sent from
// settings.meta senderName <senderAddress>.
#pragma once

#include <string>

#include "core/db/sqlite.h"
#include "core/mail/mailer.h"
#include "core/mail/template.h"

namespace larder::mail {

// The parts of settings.meta a mail needs (defaults as a fresh PocketBase when unreadable).
struct AppMeta {
  std::string app_name = "Acme";
  std::string app_url = "http://localhost:8090";
  std::string sender_name = "Support";
  std::string sender_address = "support@example.com";
};
AppMeta load_app_meta(db::Connection& conn);

// Renders `t` for `rec` (+ {APP_NAME}, {APP_URL} and the record placeholders, unless `extra`
// sets them) into a message to `to`.
Message record_message(const AppMeta& meta, const record::Record& rec, const schema::EmailTemplate& t,
                       Placeholders extra, std::string to);

}  // namespace larder::mail
