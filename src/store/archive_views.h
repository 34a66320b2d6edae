#pragma once
// What readers of the archive (the web pages and the API) get from the store: plain
// structs, one per thing a page shows. Dates are Unix seconds, UTC; 0 means undated.

#include <cstdint>
#include <string>
#include <vector>

namespace rt {

struct ForumInfo {
  std::int64_t id = 0;
  std::string slug, name;
  std::int64_t lists = 0, threads = 0, messages = 0, last_date = 0;
};

struct ListInfo {
  std::int64_t id = 0;
  std::string forum, name;
  std::int64_t threads = 0, messages = 0, first_date = 0, last_date = 0;
  std::string address;  ///< where members post by mail; "" when the list takes no mail
  std::string description;
  bool moderated = false;
};

struct ThreadInfo {
  std::int64_t id = 0;
  std::string forum, list, subject;
  std::int64_t first_date = 0, last_date = 0;
  std::int64_t messages = 0, participants = 0;
  std::string started_by;  ///< display name (or address) of the first message's author
};

/// Keyset position in a newest-first listing: rows strictly older than (date, id).
/// A default cursor starts at the newest row.
struct Cursor {
  std::int64_t date = 0;
  std::int64_t id = 0;
  bool IsStart() const { return id == 0; }
};

struct AttachmentInfo {
  int position = 0;
  std::string filename, content_type;
  std::int64_t size = 0;
};

struct AttachmentData {
  std::string filename, content_type;
  std::string data;
};

/// A message as shown to readers.
struct MessageView {
  std::int64_t id = 0;
  std::string message_id, forum, list;
  std::int64_t thread_id = 0;
  std::int64_t parent_id = 0;  ///< 0: none (a thread root)
  int depth = 0;               ///< in the thread's reply tree (thread listings only)
  std::int64_t date = 0;
  std::string from_name, from_address;
  std::int64_t person_id = 0;  ///< 0: no address was known
  std::string stakeholder_group, affiliation;
  bool group_verified = false;  ///< the secretariat verified the author's declared group
  std::string subject;
  std::string source_format;  ///< "web" for a post written here (its body is Markdown), "mbox", "lmtp"...
  int edits = 0;              ///< times its author or a moderator changed it (see MessageHistory)
  std::string body_text;  ///< UTF-8; empty when the listing was asked without bodies
  std::string structure;  ///< EncodeSegments() of body_text
  std::vector<std::string> references;
  std::vector<AttachmentInfo> attachments;
};

/// One line of a listing of messages (a person's messages).
struct MessageSummary {
  std::int64_t id = 0;
  std::string message_id, forum, list;
  std::int64_t thread_id = 0, date = 0;
  std::string subject;
};

struct PersonInfo {
  std::int64_t id = 0;
  std::string display_name, stakeholder_group, affiliation;
  std::vector<std::string> addresses;
  struct ListCount {
    std::string forum, list;
    std::int64_t messages = 0;
  };
  std::vector<ListCount> lists;
  std::int64_t messages = 0, first_date = 0, last_date = 0;
};

/// Messages in one calendar month ("2007-01") for one key (a list name or a stakeholder group).
struct MonthlyCount {
  std::string month, key;
  std::int64_t messages = 0;
};

struct ForumActivity {
  std::vector<MonthlyCount> by_list;
  std::vector<MonthlyCount> by_group;
  std::vector<ThreadInfo> top_threads;  ///< most messages first
};

}  // namespace rt
