#pragma once
// The one narrow interface between Roundtable and its database. Callers never see SQL;
// one implementation over SQL (sql_store.h) runs on SQLite and on PostgreSQL.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/message.h"
#include "store/account_views.h"
#include "store/archive_views.h"
#include "store/mail_views.h"
#include "people/stakeholder_rules.h"
#include "search/query.h"
#include "util/compression.h"
#include "util/status.h"

namespace rt {

/// Where imported messages go and how they are attributed.
struct ImportTarget {
  std::string forum = "main";  ///< forum slug, created on first use
  std::string list;            ///< list name; empty: chosen per message (SqlStore::ChooseList)
  const StakeholderRules* rules = nullptr;  ///< for new people; nullptr: built-in defaults
};

struct ImportCounts {
  std::uint64_t imported = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t quarantined = 0;
};

struct SearchHit {
  std::int64_t id = 0;  ///< internal message number
  std::string message_id, forum, list;
  std::int64_t thread_id = 0;
  std::int64_t date = 0;
  std::string from_name, from_address, subject;
  std::string snippet;  ///< HTML-escaped text with <mark>...</mark> around matched words
  double score = 0;     ///< lower is better (BM25 as SQLite reports it)
};

struct SearchPage {
  int limit = 20;
  int offset = 0;
  bool count_total = false;  ///< counting every match costs a second pass over the index
};

struct SearchResults {
  std::vector<SearchHit> hits;
  std::int64_t total = -1;  ///< all matches, when SearchPage::count_total asked for it
  /// `total` is a lower bound: a word search ranks and counts only its newest matches
  /// (see Search), so "more than `total`".
  bool total_is_lower_bound = false;
};

struct CountRow {
  std::string key;
  std::int64_t count = 0;
};

struct ArchiveStats {
  std::int64_t messages = 0, threads = 0, people = 0, quarantined = 0, lists = 0, forums = 0;
  std::vector<CountRow> per_list;   ///< "forum/list"
  std::vector<CountRow> per_year;
  std::vector<CountRow> per_group;  ///< messages by the author's stakeholder group
};

/// One message of a thread, in display order (depth-first by date).
struct ThreadEntry {
  std::int64_t id = 0;
  std::int64_t parent_id = 0;  ///< 0 for a root
  int depth = 0;
  std::string message_id, from_name, from_address, subject;
  std::int64_t date = 0;
};

/// A stored message with its original bytes, for export and display.
struct StoredMessage {
  std::int64_t id = 0;
  std::string message_id, forum, list;
  std::int64_t thread_id = 0;
  std::optional<std::int64_t> parent_id;
  std::int64_t date = 0;
  std::string from_name, from_address, subject, language, source_format, envelope;
  std::string raw;        ///< bytes exactly as imported
  std::string body_text;  ///< UTF-8
  std::string structure;  ///< EncodeSegments() of body_text
  std::vector<std::string> references;
};

/// How a connection is set up. Readers beside a server keep a small page cache each.
struct StoreOptions {
  int cache_mib = 64;
  /// Every commit reaches the disk before it returns (synchronous=FULL): for the mail
  /// gateway, which tells the MTA "stored" only for what survives a power cut. Otherwise
  /// commits survive a crashed process but not always a crashed machine.
  bool durable_commits = false;
};

struct ExportFilter {
  std::string forum;  ///< empty: all
  std::string list;   ///< empty: all
};

/// True for a PostgreSQL URL (postgresql://... or postgres://...); anything else names a
/// SQLite file ("sqlite:PATH" or a plain path).
bool IsPostgresUrl(const std::string& location);
/// `location` for messages and logs: a PostgreSQL URL without its password (whether in
/// user:password@ or a password= parameter), a SQLite path without "sqlite:".
std::string DescribeDatabaseLocation(const std::string& location);

/// Not thread-safe: one Store per thread (SQLite connections are cheap; WAL lets
/// readers run beside the single writer).
class Store {
 public:
  /// Opens the database at `location` (see IsPostgresUrl; a SQLite file is created when
  /// missing) and applies pending migrations. Database/Busy/IoError with a message naming the location on failure.
  static Result<std::unique_ptr<Store>> Open(const std::string& location, const StoreOptions& options = {});

  virtual ~Store() = default;

  /// Before/after a bulk import: the index defers its merges in between.
  virtual Status BeginBulkImport() = 0;
  virtual Status FinishBulkImport() = 0;

  /// Stores a batch in one transaction: each item is imported (threaded, indexed,
  /// person attached), recognised as a duplicate, or quarantined. Either the whole
  /// batch is stored or none of it, so an interrupted import resumes cleanly.
  virtual Status WriteBatch(std::vector<ImportItem>& items, const ImportTarget& target, ImportCounts* counts) = 0;

  /// The dictionary imports compress with (util/compression.h): the newest stored,
  /// nullptr when there is none yet.
  virtual Result<std::shared_ptr<const CompressionDictionary>> NewestDictionary() = 0;
  /// Stores a newly trained dictionary in a transaction of its own; call it before
  /// writing anything compressed with it.
  virtual Status AddDictionary(const CompressionDictionary& dictionary) = 0;

  /// Ranked search: BM25 over subjects and the authors' own words, subject weighted
  /// higher; without words, newest first. InvalidArgument for a query the index rejects.
  virtual Result<SearchResults> Search(const SearchQuery& query, const SearchPage& page) = 0;

  /// Builds the search index again from every message's stored subject and text, in
  /// one transaction (an interrupted rebuild leaves the old index): after an upgrade that
  /// changes how words are indexed. Returns the number of messages indexed; `progress`
  /// (may be empty) hears every 10,000.
  virtual Result<std::int64_t> RebuildSearchIndex(const std::function<void(std::int64_t done)>& progress) = 0;

  virtual Result<ArchiveStats> Stats() = 0;

  /// The whole thread containing the message with this Message-ID (any list; the
  /// first match). NotFound when no message has it.
  virtual Result<std::vector<ThreadEntry>> Thread(const std::string& message_id) = 0;

  /// Calls `visit` for each message matching the filter in import order; stops at
  /// the first non-ok Status it returns and returns it.
  virtual Status ForEachMessage(const ExportFilter& filter,
                                const std::function<Status(const StoredMessage&)>& visit) = 0;

  // --- Reading, for the web and the API (archive_views.h). NotFound for an unknown
  // forum, list, thread, message, attachment or person. ---

  /// A number that changes whenever another connection has changed what readers see
  /// (messages, threads, lists, people, accounts, the moderation log) since this Store
  /// last looked: what readers key their caches on. The mail queue, sessions and tokens
  /// do not move it.
  virtual Result<std::int64_t> ChangeCounter() = 0;

  virtual Result<std::vector<ForumInfo>> Forums() = 0;
  virtual Result<ForumInfo> Forum(const std::string& slug) = 0;
  virtual Result<std::vector<ListInfo>> Lists(const std::string& forum) = 0;
  virtual Result<ListInfo> List(const std::string& forum, const std::string& list) = 0;
  /// Threads of a list, most recently active first, from `after` on.
  virtual Result<std::vector<ThreadInfo>> ListThreads(const std::string& forum, const std::string& list,
                                                      const Cursor& after, int limit) = 0;
  virtual Result<ThreadInfo> ThreadSummary(std::int64_t thread_id) = 0;
  /// The thread's messages in reply-tree order (depth-first, children by date), with
  /// depth set; bodies and attachments only when asked.
  virtual Result<std::vector<MessageView>> ThreadMessages(std::int64_t thread_id, bool with_bodies) = 0;
  virtual Result<MessageView> Message(std::int64_t id) = 0;
  /// The internal id of the message with this Message-ID (with or without <>).
  virtual Result<std::int64_t> FindMessage(const std::string& message_id) = 0;
  /// The bytes exactly as imported.
  virtual Result<std::string> RawMessage(std::int64_t id) = 0;
  virtual Result<AttachmentData> Attachment(std::int64_t message, int position) = 0;
  virtual Result<PersonInfo> Person(std::int64_t id) = 0;
  /// A person's messages, newest first, from `after` on.
  virtual Result<std::vector<MessageSummary>> PersonMessages(std::int64_t person_id, const Cursor& after,
                                                             int limit) = 0;
  /// Messages per month by list and by stakeholder group, and the busiest threads.
  virtual Result<ForumActivity> Activity(const std::string& forum, int top_threads) = 0;

  // --- Participation (account_views.h). InvalidArgument for a duplicate account or
  // list and for a role, group or mode that does not exist; NotFound for an unknown
  // account, forum or list. ---

  virtual Result<std::int64_t> AddUser(const NewUser& user) = 0;
  virtual Result<std::vector<UserInfo>> Users() = 0;
  virtual Result<UserInfo> UserByEmail(const std::string& email) = 0;
  /// Grants a role (or, with `grant` false, takes it back). "participant" takes back
  /// every role the account has in that forum or list.
  virtual Status SetRole(const std::string& email, const RoleGrant& role, bool grant) = 0;
  /// The secretariat vouches for (or withdraws) an account's declared stakeholder group.
  virtual Status SetGroupVerified(const std::string& email, bool verified) = 0;
  /// A new list (its forum is created when missing).
  virtual Status CreateList(const std::string& forum, const std::string& list, const ListSettings& settings) = 0;
  virtual Status UpdateList(const std::string& forum, const std::string& list, const ListSettings& settings) = 0;
  /// Subscribes an address, or changes its mode.
  virtual Status Subscribe(const std::string& forum, const std::string& list, const std::string& address,
                           const std::string& mode) = 0;
  virtual Result<std::vector<Subscription>> Subscribers(const std::string& forum, const std::string& list) = 0;
  /// NotFound when the address is not subscribed.
  virtual Result<Subscription> FindSubscription(const std::string& forum, const std::string& list,
                                                const std::string& address) = 0;
  virtual Status Unsubscribe(const std::string& forum, const std::string& list, const std::string& address) = 0;
  /// Messages in the archive (any list, posted or imported) from `address`, counted up
  /// to `at_most`.
  virtual Result<int> MessagesFrom(const std::string& address, int at_most) = 0;
  /// The list whose posting address this is (case-insensitive); NotFound otherwise.
  virtual Result<ListInfo> ListByAddress(const std::string& address) = 0;
  virtual Result<ListInfo> ListById(std::int64_t id) = 0;

  virtual Result<UserInfo> UserById(std::int64_t id) = 0;
  virtual Status UpdateProfile(std::int64_t user_id, const ProfileUpdate& update) = 0;
  virtual Status SetPassword(std::int64_t user_id, const std::string& password_hash) = 0;
  /// The stored HashPassword() string ("" when none is set), for VerifyPassword.
  virtual Result<std::string> PasswordHash(std::int64_t user_id) = 0;
  virtual Status MarkEmailVerified(std::int64_t user_id) = 0;
  /// The archive's person known by `address` becomes this account's (their history is
  /// theirs); NotFound when the archive has no such address.
  virtual Status ClaimAddress(std::int64_t user_id, const std::string& address) = 0;
  /// Closes an account: sessions, roles, password and address go; the archive keeps the
  /// posts, under "Former participant" when `anonymise`.
  virtual Status DeleteUser(std::int64_t user_id, bool anonymise) = 0;
  /// A random secret of `bytes` bytes shared by every server on this database, made on
  /// first use (signing keys).
  virtual Result<std::string> Secret(const std::string& name, std::size_t bytes) = 0;

  // --- Sessions and one-time tokens: only hashes of the tokens are stored. ---

  virtual Status CreateSession(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_at) = 0;
  /// The account signed in by this session; NotFound when unknown or expired.
  virtual Result<UserInfo> SessionUser(const std::string& token_hash, std::int64_t now) = 0;
  virtual Status EndSession(const std::string& token_hash) = 0;
  virtual Status EndAllSessions(std::int64_t user_id) = 0;
  virtual Status CreateToken(const OneTimeToken& token) = 0;
  /// Marks the token used and returns it; NotFound when unknown, used, expired or made
  /// for another purpose.
  virtual Result<OneTimeToken> UseToken(const std::string& token_hash, const std::string& purpose,
                                        std::int64_t now) = 0;

  // --- Posting and moderation (mail_views.h) ---

  /// Stores each post in the archive and queues it to the list's subscribers who take
  /// each message, all in one transaction (one fsync for the batch). A post already
  /// archived is a duplicate and queues nothing: an MTA's retry sends nothing twice.
  virtual Result<std::vector<PostOutcome>> Post(std::vector<NewPost>& posts) = 0;
  /// Replaces a post's subject and text; the previous version joins its history and the
  /// search index follows. Both are analysed (MessageProcessor::Analyze): `previous`
  /// must be the stored subject and text, so its index terms can be taken out.
  /// A moderator's edit of someone else's post passes `moderation`, logged in the same
  /// transaction; nullptr for an author's own edit.
  virtual Status EditMessage(std::int64_t id, std::int64_t editor_id, const ParsedMessage& previous,
                             const ParsedMessage& edited, const ModerationEntry* moderation) = 0;
  /// Earlier versions of a post, oldest first.
  virtual Result<std::vector<MessageVersion>> MessageHistory(std::int64_t id) = 0;
  /// Holds posts for a moderator, in one transaction; returns their ids (the existing
  /// one for a post already held).
  virtual Result<std::vector<std::int64_t>> Hold(const std::vector<HeldMessage>& held) = 0;
  /// The addresses of the list's moderators and its forum's secretariat (confirmed,
  /// open accounts), for notices about held posts.
  virtual Result<std::vector<std::string>> ModeratorAddresses(const std::string& forum, const std::string& list) = 0;
  /// Held posts of a forum, oldest first; of one list when `list` is not empty.
  virtual Result<std::vector<HeldMessage>> HeldMessages(const std::string& forum, const std::string& list) = 0;
  virtual Result<HeldMessage> FindHeld(std::int64_t id) = 0;
  /// Removes a held post and logs the decision, in one transaction.
  virtual Status ReleaseHeld(std::int64_t id, const ModerationEntry& decision, std::int64_t moderator_id) = 0;
  virtual Status LogModeration(const ModerationEntry& entry, std::int64_t moderator_id) = 0;
  /// The forum's log, newest first, entries with ids below `before` (0: from the newest).
  virtual Result<std::vector<ModerationEntry>> ModerationLog(const std::string& forum, std::int64_t before,
                                                             int limit) = 0;

  /// Counts one more `event_key` at `now` (a post by "user:ID" or "address:A", a sign-in
  /// attempt...) and returns how many there were in the `window_seconds` before: what rate
  /// limits compare, shared by the web and mail and every server node. Older counts are
  /// forgotten as it goes.
  virtual Result<int> CountEvent(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) = 0;
  /// The same count without adding one: for posts, whose event is written with the post
  /// or held message itself (RateEvent), so a durable post costs one commit, not two.
  virtual Result<int> RecentEvents(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) = 0;

  // --- The outbound queue ---

  virtual Status QueueNotice(const Notice& notice) = 0;
  /// Claims up to `limit` deliveries due at `now` for `lease_seconds`: until then no other
  /// sender takes them, and after it a crashed sender's claims are due again.
  virtual Result<std::vector<DueDelivery>> ClaimDeliveries(std::int64_t now, std::int64_t lease_seconds,
                                                           int limit) = 0;
  /// Records how claimed deliveries went, in one transaction.
  virtual Status FinishDeliveries(const std::vector<DeliveryReport>& reports) = 0;
  /// The bytes of a notice or digest.
  virtual Result<std::string> OutboundRaw(std::int64_t outbound_id) = 0;
  virtual Result<QueueCounts> CountDeliveries() = 0;
  /// Lists with enabled digest subscribers and posts not yet in a digest, whose last
  /// digest went before `sent_before`.
  virtual Result<std::vector<DigestDue>> DigestsDue(std::int64_t sent_before) = 0;
  /// The posts that went out to a list (not messages imported into it) after message
  /// `after`, oldest first, at most `limit`.
  virtual Result<std::vector<DigestPost>> DigestPosts(std::int64_t list_id, std::int64_t after, int limit) = 0;
  /// Queues both forms to their subscribers and moves the list's digest mark, in one
  /// transaction; does nothing when the mark is no longer `previous_last_message`
  /// (another server sent this digest).
  virtual Status QueueDigest(const QueuedDigest& digest) = 0;
  /// A failed delivery to `address` on a list, at time `now`: it counts unless another
  /// counted less than BounceRules::kCountEvery before (a bad day sends many), the count
  /// starts over after `rules.forget_after` without one, and `rules.disable_after`
  /// counted bounces disable the subscription. NotFound when `address` is not subscribed.
  virtual Result<BounceScore> RecordBounce(std::int64_t list_id, const std::string& address, const BounceRules& rules,
                                           std::int64_t now) = 0;
};

}  // namespace rt
