#pragma once
// The SQLite implementation of Store, declared for the files that implement it
// (sqlite_store.cc: schema, import, search; sqlite_reads.cc: the readers' views).
// Nothing outside src/store includes this.

#include <sqlite3.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/term_normalizer.h"
#include "store/sqlite_statement.h"
#include "store/store.h"

namespace rt {

/// "a b c" -> {"a", "b", "c"}: the stored form of a message's references.
std::vector<std::string> SplitRefs(std::string_view text);

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}
  ~SqliteStore() override {
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  Status Open(const StoreOptions& options);

  Status BeginBulkImport() override;
  Status FinishBulkImport() override;
  Status WriteBatch(std::vector<ImportItem>& items, const ImportTarget& target, ImportCounts* counts) override;
  Result<SearchResults> Search(const SearchQuery& query, const SearchPage& page) override;
  Result<ArchiveStats> Stats() override;
  Result<std::vector<ThreadEntry>> Thread(const std::string& message_id) override;
  Status ForEachMessage(const ExportFilter& filter,
                        const std::function<Status(const StoredMessage&)>& visit) override;

  // sqlite_reads.cc
  Result<std::int64_t> ChangeCounter() override;
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

  // sqlite_accounts.cc
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

  // sqlite_sessions.cc
  Status CreateSession(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_at) override;
  Result<UserInfo> SessionUser(const std::string& token_hash, std::int64_t now) override;
  Status EndSession(const std::string& token_hash) override;
  Status EndAllSessions(std::int64_t user_id) override;
  Status CreateToken(const OneTimeToken& token) override;
  Result<OneTimeToken> UseToken(const std::string& token_hash, const std::string& purpose, std::int64_t now) override;

  // sqlite_posts.cc
  Result<std::vector<PostOutcome>> Post(std::vector<NewPost>& posts) override;
  Result<std::vector<std::int64_t>> Hold(const std::vector<HeldMessage>& held) override;
  Status EditMessage(std::int64_t id, std::int64_t editor_id, const ParsedMessage& previous,
                     const ParsedMessage& edited) override;
  Result<std::vector<MessageVersion>> MessageHistory(std::int64_t id) override;
  Result<std::vector<HeldMessage>> HeldMessages(const std::string& forum, const std::string& list) override;
  Result<std::vector<std::string>> ModeratorAddresses(const std::string& forum, const std::string& list) override;
  Result<HeldMessage> FindHeld(std::int64_t id) override;
  Status ReleaseHeld(std::int64_t id, const ModerationEntry& decision, std::int64_t moderator_id) override;
  Status LogModeration(const ModerationEntry& entry, std::int64_t moderator_id) override;
  Result<std::vector<ModerationEntry>> ModerationLog(const std::string& forum, std::int64_t before, int limit) override;

  // sqlite_outbound.cc
  Status QueueNotice(const Notice& notice) override;
  Result<std::vector<DueDelivery>> ClaimDeliveries(std::int64_t now, std::int64_t lease_seconds, int limit) override;
  Status FinishDeliveries(const std::vector<DeliveryReport>& reports) override;
  Result<std::string> OutboundRaw(std::int64_t outbound_id) override;
  Result<QueueCounts> CountDeliveries() override;
  Result<bool> RecordBounce(std::int64_t list_id, const std::string& address, int disable_after) override;
  Result<std::vector<DigestDue>> DigestsDue(std::int64_t sent_before) override;
  Result<std::vector<DigestPost>> DigestPosts(std::int64_t list_id, std::int64_t after, int limit) override;
  Status QueueDigest(const QueuedDigest& digest) override;

 private:
  struct Placement {
    std::int64_t thread_id = 0;
    std::int64_t parent_id = 0;
  };

  Status Exec(const char* sql, std::string_view what);
  /// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back (and forgets cached ids)
  /// when it fails.
  Status InTransaction(const char* what, const std::function<Status()>& body);
  Status Migrate();
  Statement& Sql(const char* sql);

  Result<std::int64_t> ListId(const std::string& forum, const std::string& list);
  Result<std::optional<std::int64_t>> AddressId(const ParsedMessage& m, const StakeholderRules& rules);
  // Empty key: a duplicate. Otherwise the dedup key to store the message under.
  Result<std::string> DedupKey(std::int64_t list_id, const ImportItem& item, std::int64_t address_id);
  Result<Placement> PlaceInThread(std::int64_t list_id, const ParsedMessage& m, std::int64_t date);
  Status MergeThreads(std::int64_t into, std::int64_t from);
  Status AdoptOrphans(std::int64_t list_id, std::int64_t id, const std::string& message_id, std::int64_t thread_id,
                      bool is_original);
  bool IsAncestor(std::int64_t candidate, std::int64_t of);
  /// The new message's id.
  Result<std::int64_t> StoreMessage(std::int64_t list_id, ImportItem& item, std::int64_t address_id,
                                    const std::string& key);
  Status Quarantine(const ImportItem& item, ImportCounts* counts);
  Status ReadMessage(Statement& row, StoredMessage* out);
  Result<std::vector<ThreadInfo>> ReadThreads(Statement& rows);
  Status ReadAttachments(MessageView* message);
  Result<std::vector<UserInfo>> ReadUsers(Statement& rows);
  Result<std::int64_t> FindListId(const std::string& forum, const std::string& list);
  Status ApplyListSettings(std::int64_t list_id, const ListSettings& settings);
  std::string RankArguments(const SearchQuery& query);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::map<const char*, std::unique_ptr<Statement>> statements_;
  std::map<std::string, std::int64_t> list_ids_;
  std::unordered_map<std::string, std::int64_t> address_ids_;
  std::optional<std::int64_t> seen_data_version_;  // ChangeCounter's last look
  std::int64_t archive_version_ = 0;
  TermNormalizer normalizer_;
};

}  // namespace rt
