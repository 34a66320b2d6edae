#pragma once
// Store over any SqlConnection: the SQL both SQLite and PostgreSQL accept, written once
// (sql_import.cc: import and threading; sql_store.cc: search, stats, export, migrations;
// sql_reads.cc, sql_accounts.cc, sql_sessions.cc, sql_posts.cc, sql_outbound.cc). What
// differs, full-text search and change tracking, is left to the backend's subclass
// (sqlite_store.cc, pg_store.cc). Nothing outside src/store includes this.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/term_normalizer.h"
#include "store/db_copy.h"
#include "store/migrations.h"
#include "store/sql_connection.h"
#include "store/store.h"

namespace rt {

/// "a b c" -> {"a", "b", "c"}: the stored form of a message's references.
std::vector<std::string> SplitRefs(std::string_view text);
/// "<id>": the dedup_key of the first message stored with Message-ID `id` in a list, so
/// the unique (list_id, dedup_key) index also finds messages by Message-ID. Later
/// messages reusing the id are keyed by their bytes' hash and are never the one a
/// lookup by id means (the first stored).
std::string IdKey(std::string_view message_id);
/// "hash:<raw_hash>": the dedup_key of a message without a Message-ID or reusing one.
std::string HashKey(std::string_view raw_hash);
/// yyyymm of a Unix time, UTC: the key of message_months.
std::int64_t MonthOf(std::int64_t unix_seconds);
/// Steps an INSERT ... RETURNING id once and resets it: the new row's id.
Result<std::int64_t> ReturnedId(SqlStatement& insert);

/// The full-text part of a search, in the backend's terms (see SqlStore::Search).
struct TextMatch {
  std::string from;       ///< the index table, e.g. "message_index"
  std::string id_column;  ///< its message id column, e.g. "message_index.rowid"
  std::string condition;  ///< true for the query's matches
  std::string score;      ///< an expression; lower ranks first
  /// `messages m` as the filters (list, sender, dates) read it for each match.
  std::string filtered_messages = "messages m";
};

class SqlStore : public Store {
 public:
  /// `name` names the database in messages (a path, or a URL without its password).
  SqlStore(std::unique_ptr<SqlConnection> db, std::string name) : db_(std::move(db)), name_(std::move(name)) {}

  Status WriteBatch(std::vector<ImportItem>& items, const ImportTarget& target, ImportCounts* counts) override;
  Result<std::shared_ptr<const CompressionDictionary>> NewestDictionary() override;
  Status AddDictionary(const CompressionDictionary& dictionary) override;
  /// The bytes of a stored zstd frame (raw message, text, attachment), reading the
  /// database's dictionaries again when the frame names one not read yet (another
  /// process's import may have added it).
  Result<std::string> Unpack(std::string_view frame);

  Result<SearchResults> Search(const SearchQuery& query, const SearchPage& page) override;
  Result<std::int64_t> RebuildSearchIndex(const std::function<void(std::int64_t done)>& progress) override;
  Result<ArchiveStats> Stats() override;
  Result<std::vector<ThreadEntry>> Thread(const std::string& message_id) override;
  Status ForEachMessage(const ExportFilter& filter,
                        const std::function<Status(const StoredMessage&)>& visit) override;

  // sql_reads.cc
  Result<std::vector<ForumInfo>> Forums() override;
  Result<ForumInfo> Forum(const std::string& slug) override;
  Result<std::vector<ListInfo>> Lists(const std::string& forum) override;
  Result<ListInfo> List(const std::string& forum, const std::string& list) override;
  Result<std::vector<ThreadInfo>> ListThreads(const std::string& forum, const std::string& list, const Cursor& after,
                                              int limit) override;
  Result<ThreadInfo> ThreadSummary(std::int64_t thread_id) override;
  Result<std::vector<MessageView>> ThreadMessages(std::int64_t thread_id, bool with_bodies) override;
  Result<MessageView> Message(std::int64_t id) override;
  Result<std::int64_t> FindMessage(const std::string& message_id) override;
  Result<std::string> RawMessage(std::int64_t id) override;
  Result<AttachmentData> Attachment(std::int64_t message, int position) override;
  Result<PersonInfo> Person(std::int64_t id) override;
  Result<std::vector<MessageSummary>> PersonMessages(std::int64_t person_id, const Cursor& after, int limit) override;
  Result<ForumActivity> Activity(const std::string& forum, int top_threads) override;

  // sql_accounts.cc
  Result<std::int64_t> AddUser(const NewUser& user) override;
  Result<std::vector<UserInfo>> Users() override;
  Result<UserInfo> UserByEmail(const std::string& email) override;
  Status SetRole(const std::string& email, const RoleGrant& role, bool grant) override;
  Status SetGroupVerified(const std::string& email, bool verified) override;
  Status CreateList(const std::string& forum, const std::string& list, const ListSettings& settings) override;
  Status UpdateList(const std::string& forum, const std::string& list, const ListSettings& settings) override;
  Status Subscribe(const std::string& forum, const std::string& list, const std::string& address,
                   const std::string& mode) override;
  Result<std::vector<Subscription>> Subscribers(const std::string& forum, const std::string& list) override;
  Result<int> MessagesFrom(const std::string& address, int at_most) override;
  Result<Subscription> FindSubscription(const std::string& forum, const std::string& list,
                                        const std::string& address) override;
  Status Unsubscribe(const std::string& forum, const std::string& list, const std::string& address) override;
  Result<ListInfo> ListByAddress(const std::string& address) override;
  Result<ListInfo> ListById(std::int64_t id) override;
  Result<UserInfo> UserById(std::int64_t id) override;
  Status UpdateProfile(std::int64_t user_id, const ProfileUpdate& update) override;
  Status SetPassword(std::int64_t user_id, const std::string& password_hash) override;
  Result<std::string> PasswordHash(std::int64_t user_id) override;
  Status MarkEmailVerified(std::int64_t user_id) override;
  Status ClaimAddress(std::int64_t user_id, const std::string& address) override;
  Status DeleteUser(std::int64_t user_id, bool anonymise) override;
  Result<std::string> Secret(const std::string& name, std::size_t bytes) override;

  // sql_sessions.cc
  Status CreateSession(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_at) override;
  Result<UserInfo> SessionUser(const std::string& token_hash, std::int64_t now) override;
  Status EndSession(const std::string& token_hash) override;
  Status EndAllSessions(std::int64_t user_id) override;
  Status CreateToken(const OneTimeToken& token) override;
  Result<OneTimeToken> UseToken(const std::string& token_hash, const std::string& purpose, std::int64_t now) override;

  // sql_posts.cc
  Result<std::vector<PostOutcome>> Post(std::vector<NewPost>& posts) override;
  Result<std::vector<std::int64_t>> Hold(const std::vector<HeldMessage>& held) override;
  Status EditMessage(std::int64_t id, std::int64_t editor_id, const ParsedMessage& previous,
                     const ParsedMessage& edited,
                     const ModerationEntry* moderation) override;
  Result<std::vector<MessageVersion>> MessageHistory(std::int64_t id) override;
  Result<std::vector<HeldMessage>> HeldMessages(const std::string& forum, const std::string& list) override;
  Result<std::vector<std::string>> ModeratorAddresses(const std::string& forum, const std::string& list) override;
  Result<HeldMessage> FindHeld(std::int64_t id) override;
  Status ReleaseHeld(std::int64_t id, const ModerationEntry& decision, std::int64_t moderator_id) override;
  Status LogModeration(const ModerationEntry& entry, std::int64_t moderator_id) override;
  Result<int> CountEvent(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) override;
  Result<int> RecentEvents(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) override;
  Result<std::vector<ModerationEntry>> ModerationLog(const std::string& forum, std::int64_t before, int limit) override;

  // sql_outbound.cc
  Status QueueNotice(const Notice& notice) override;
  Result<std::vector<DueDelivery>> ClaimDeliveries(std::int64_t now, std::int64_t lease_seconds, int limit) override;
  Status FinishDeliveries(const std::vector<DeliveryReport>& reports) override;
  Result<std::string> OutboundRaw(std::int64_t outbound_id) override;
  Result<QueueCounts> CountDeliveries() override;
  Result<BounceScore> RecordBounce(std::int64_t list_id, const std::string& address, const BounceRules& rules,
                                   std::int64_t now) override;
  Result<std::vector<DigestDue>> DigestsDue(std::int64_t sent_before) override;
  Result<std::vector<DigestPost>> DigestPosts(std::int64_t list_id, std::int64_t after, int limit) override;
  Status QueueDigest(const QueuedDigest& digest) override;

 protected:
  friend Result<std::vector<TableCopy>> CopyDatabase(const std::string& from, const std::string& to,
                                                     const CopyProgress& progress);
  using ParamFn = std::function<std::string(std::string value)>;

  // --- What each backend does its own way ---

  /// Adds a message's index terms (MessageProcessor's space-separated normalised words).
  virtual Status IndexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) = 0;
  /// Takes them out again; `subject_terms` and `body_terms` are what was indexed.
  virtual Status UnindexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) = 0;
  /// Empties the index, inside the caller's transaction.
  virtual Status ClearIndex() = 0;
  /// Tells readers (servers' caches) the archive changed, for a change no trigger sees.
  virtual Status MarkArchiveChanged() = 0;
  /// The full-text part of a search with words; `param` binds a text value and returns
  /// its placeholder.
  virtual Result<TextMatch> MatchText(const SearchQuery& query, const ParamFn& param) = 0;

  /// Applies pending migrations, one transaction each, safe against other processes
  /// migrating the same database at the same time.
  Status Migrate(const std::vector<Migration>& migrations);
  SqlStatement& Sql(const char* sql) { return db_->Sql(sql); }
  /// As Sql, for SQL built at run time whose shapes repeat (a search's): prepared once per
  /// text, up to kReusableStatements of them. The reference holds until the next call;
  /// reset the statement before that.
  SqlStatement& Reusable(const std::string& sql);
  /// Runs `body` inside a transaction; rolls back (and forgets cached ids) when it fails.
  Status InTransaction(TransactionKind kind, const char* what, const std::function<Status()>& body);

  std::unique_ptr<SqlConnection> db_;
  std::map<std::string, std::unique_ptr<SqlStatement>> reusable_;
  std::string name_;
  TermNormalizer normalizer_;

 private:
  struct Placement {
    std::int64_t thread_id = 0;
    std::int64_t parent_id = 0;
  };

  Result<std::int64_t> ListId(const std::string& forum, const std::string& list);
  /// The list an imported message joins when the import names none, in this order: its
  /// List-Id; the list it is already in (a re-import, which must find it there again);
  /// the list of the message it replies to (a reply stays in its thread, whatever tag a
  /// mail gateway put in its subject); in a pipermail archive (one list per file, or per
  /// folder of pages) the list its first message naming one named; its subject's [tag];
  /// else "unsorted".
  Result<std::string> ChooseList(const ImportTarget& target, const ImportItem& item);
  Result<std::optional<std::int64_t>> AddressId(const ParsedMessage& m, const StakeholderRules& rules);
  // Empty key: a duplicate. Otherwise the dedup key to store the message under.
  Result<std::string> DedupKey(std::int64_t list_id, const ImportItem& item, std::int64_t address_id);
  Result<Placement> PlaceInThread(std::int64_t list_id, const ParsedMessage& m, std::int64_t date);
  Status MergeThreads(std::int64_t into, std::int64_t from);
  Status AdoptOrphans(std::int64_t list_id, std::int64_t id, const std::string& message_id, std::int64_t thread_id,
                      bool is_original);
  bool IsAncestor(std::int64_t candidate, std::int64_t of);
  /// The new message's id. The message is not in the search index yet: the caller
  /// indexes it (IndexMessage) after its other writes, because SQLite's FTS5 writes its
  /// pending terms out whenever a later statement of the transaction opens a savepoint
  /// (any statement with RETURNING does), which per message made the import write a
  /// tiny index segment each time.
  Result<std::int64_t> StoreMessage(std::int64_t list_id, ImportItem& item, std::int64_t address_id,
                                    const std::string& key);
  /// Messages StoreMessage stored in this transaction, by id, waiting to be indexed.
  using UnindexedMessages = std::vector<std::pair<std::int64_t, const ParsedMessage*>>;
  /// Adds them to the search index; the transaction's last writes (see StoreMessage).
  Status IndexStored(const UnindexedMessages& messages);
  Status Quarantine(const ImportItem& item, ImportCounts* counts);
  /// Adds `event` to the rate counts, forgetting its key's events older than its window.
  Status RecordEvent(const RateEvent& event);
  Status ReadMessage(SqlStatement& row, StoredMessage* out);
  Result<std::vector<ThreadInfo>> ReadThreads(SqlStatement& rows);
  Status ReadAttachments(MessageView* message);
  Result<std::vector<UserInfo>> ReadUsers(SqlStatement& rows);
  Result<std::int64_t> FindListId(const std::string& forum, const std::string& list);
  Status ApplyListSettings(std::int64_t list_id, const ListSettings& settings);

  std::map<std::string, std::int64_t> list_ids_;
  std::map<std::string, std::string> pipermail_lists_;  // ChooseList's: archive file or folder -> list
  std::unordered_map<std::string, std::int64_t> address_ids_;
  /// Reads every stored dictionary into dictionaries_ again (another process's import
  /// may have added one).
  Status ReloadDictionaries();

  CompressionDictionaries dictionaries_;  // read at an import's start, or when a frame first needs one
  std::set<std::uint32_t> missing_dictionaries_;  // named by frames, but not in the database
};

}  // namespace rt
