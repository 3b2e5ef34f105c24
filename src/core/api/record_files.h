// The file side of record writes (api.md §6.7, auth-realtime-files.md §10): turning multipart
// file parts into named uploads, writing them before the commit that references them, and
// deleting what a committed write stopped referencing.
//
// Ordering (the durability contract): uploads are put (fsynced) inside the transaction, before
// COMMIT; if anything fails before the commit completes they are removed again. Replaced and
// removed files are deleted only after the commit, so a failed write never loses a file.
#pragma once

#include <string>
#include <vector>

#include "core/api/request_data.h"
#include "core/files/store.h"
#include "core/record/fields.h"
#include "core/schema/collection.h"

namespace larder::api {

// Takes the file parts that address file fields of `c` (`field`, `field+`, `+field`), names
// them as PocketBase does and adds the new names to `rd.body` under the part's key, after any
// names sent as plain values of that key (so `field` = kept names + uploads replaces the list).
// Parts for other keys are dropped, as PocketBase ignores them.
std::vector<record::NewFile> take_uploads(const schema::Collection& c, RequestData& rd);

// The files of one record write. Construct after the record is saved (its id is final), call
// write_new() before the commit and committed() after it; destroying it earlier removes what
// write_new() stored.
class RecordFiles {
 public:
  RecordFiles(files::FileStore* store, const record::Draft& draft);
  ~RecordFiles();
  RecordFiles(const RecordFiles&) = delete;
  RecordFiles& operator=(const RecordFiles&) = delete;

  // Stores every upload the saved record references. Throws files::StoreError (also when there
  // are uploads but no store).
  void write_new();
  // The commit happened: keep the new files, delete the ones the record no longer references
  // (and their thumbs). Deletion failures are logged, never thrown.
  void committed();

 private:
  files::FileStore* store_;
  const record::Draft& draft_;
  std::vector<std::string> written_;
  bool committed_ = false;
};

// After a committed delete: removes each record's folder `<collectionId>/<recordId>`.
void remove_record_folders(files::FileStore* store, const std::vector<record::Record>& records);

// Removes one stored file and its thumbs folder (errors logged).
void remove_stored_file(files::FileStore& store, const std::string& collection_id, const std::string& record_id,
                        const std::string& name);

}  // namespace larder::api
