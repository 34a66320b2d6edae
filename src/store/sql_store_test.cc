#include <gtest/gtest.h>

#include "store/sqlite_connection.h"
#include "store/store_fixture.h"

namespace rt {
namespace {

TEST_F(StoreTest, ThreadsInOrder) {
  Add({Msg("a@x", "Draft", "", "root"), Msg("b@x", "Re: Draft", "<a@x>", "reply"),
       Msg("c@x", "Re: Draft", "<a@x> <b@x>", "reply to reply")});
  ExpectReplyChain("c@x", {"a@x", "b@x", "c@x"});
}

// A server's connection, open before an import stores the archive's dictionary, reads
// the frames made with it.
TEST_F(StoreTest, FramesOfADictionaryStoredByAnotherConnectionAreReadable) {
  Result<std::unique_ptr<Store>> server = Store::Open(db_);
  ASSERT_TRUE(server.ok()) << server.status().message();
  Result<std::shared_ptr<const CompressionDictionary>> none = store_->NewestDictionary();
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_EQ(none.value(), nullptr);

  DictionarySamples training;
  for (int i = 0; i < 2000; ++i)
    training.Add(Msg(std::to_string(i) + "@x", "Re: item " + std::to_string(i % 40), "",
                     "Comment " + std::to_string(i * 7919) + " on the draft, paragraph " + std::to_string(i % 13) +
                         ".\n_______________________________________________\npolicy mailing list\n"));
  std::shared_ptr<const CompressionDictionary> dictionary = CompressionDictionary::Train(training);
  ASSERT_TRUE(dictionary);
  ASSERT_TRUE(store_->AddDictionary(*dictionary).ok());
  processor_.UseDictionary(dictionary);
  std::string raw = Msg("d1@x", "Dictionary", "", "Compressed against the archive's dictionary.");
  Add({raw});
  Result<std::shared_ptr<const CompressionDictionary>> newest = store_->NewestDictionary();
  ASSERT_TRUE(newest.ok() && newest.value());
  EXPECT_EQ(newest.value()->id(), dictionary->id());

  Result<std::int64_t> id = server.value()->FindMessage("d1@x");
  ASSERT_TRUE(id.ok()) << id.status().message();
  Result<MessageView> view = server.value()->Message(id.value());
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_NE(view.value().body_text.find("Compressed against"), std::string::npos);
  Result<std::string> stored = server.value()->RawMessage(id.value());
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored.value(), raw);
}

TEST_F(StoreTest, ThreadsStableWhateverTheImportOrder) {
  Add({Msg("c@x", "Re: Draft", "<a@x> <b@x>", "reply to reply")});
  Add({Msg("a@x", "Draft", "", "root")});
  Add({Msg("b@x", "Re: Draft", "<a@x>", "reply")});
  ExpectReplyChain("a@x", {"a@x", "b@x", "c@x"});
  Result<ArchiveStats> stats = store_->Stats();
  EXPECT_EQ(stats.value().threads, 1);
}

TEST_F(StoreTest, SiblingsOfAMissingParentShareAThread) {
  Add({Msg("b@x", "Re: Lost", "<missing@x>", "one"), Msg("c@x", "Re: Lost", "<missing@x>", "two")});
  EXPECT_EQ(ThreadOf("b@x").size(), 2u);
}

TEST_F(StoreTest, SubjectFallbackWithoutReferences) {
  Add({Msg("a@x", "[policy] Agenda", "", "root"), Msg("b@x", "Re: [policy] Agenda", "", "reply",
                                                       "Bob <bob@example.net>", "Wed, 10 Jan 2007 09:00:00 +0000")});
  auto t = ThreadOf("b@x");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].depth, 1);
  // The same subject a year later is a new thread.
  Add({Msg("c@x", "Re: Agenda", "", "later", "Bob <bob@example.net>", "Thu, 10 Jan 2008 09:00:00 +0000")});
  EXPECT_EQ(ThreadOf("c@x").size(), 1u);
}

TEST_F(StoreTest, NoParentCyclesFromSkewedClocksOrLyingReferences) {
  Add({Msg("o@x", "budget", "", "original", "A <a@x.org>", "Tue, 9 Jan 2007 10:00:00 +0000"),
       Msg("r@x", "Re: budget", "", "reply", "B <b@x.org>", "Tue, 9 Jan 2007 09:00:00 +0000")});
  EXPECT_EQ(ThreadOf("o@x").size(), 2u);
  Add({Msg("a@y", "x", "<b@y>", "a answers b"), Msg("b@y", "x", "<a@y>", "b answers a")});
  auto t = ThreadOf("a@y");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].depth, 0);
}

TEST_F(StoreTest, Deduplicates) {
  std::string m = Msg("a@x", "Draft", "", "root");
  EXPECT_EQ(Add({m, m}).duplicates, 1u);
  EXPECT_EQ(Add({m}).duplicates, 1u);
  // Same Message-ID, extra transport header: the same message.
  EXPECT_EQ(Add({"Received: from relay\n" + m}).duplicates, 1u);
  // Same Message-ID, date, subject and sender but another text: a different message.
  EXPECT_EQ(Add({Msg("a@x", "Draft", "", "root, edited")}).imported, 1u);
  // The list's pipermail copy of it: its attachments scrubbed into notes at the end.
  EXPECT_EQ(Add({Msg("a@x", "Draft", "", "root\n\n-------------- next part --------------\n"
                                        "A non-text attachment was scrubbed...\nName: draft.pdf\n")})
                .duplicates,
            1u);
  // Same Message-ID reused for another message: kept.
  EXPECT_EQ(Add({Msg("a@x", "Other", "", "different")}).imported, 1u);
  // No Message-ID: deduplicated by content.
  std::string anon = Msg("", "Anon", "", "x");
  ImportCounts c = Add({anon, anon});
  EXPECT_EQ(c.imported, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(store_->Stats().value().messages, 4);
}

TEST_F(StoreTest, WithoutAListRepliesFollowTheirParentsAndAPipermailArchiveStaysTogether) {
  // A pipermail month: the list's tag on its first message, a mail gateway's on a reply.
  std::vector<std::string> month = {Msg("t1@x", "[Governance] topic", "", "one"),
                                    Msg("t2@x", "Re: topic", "<t1@x>", "two"),
                                    Msg("t3@x", "[EXTERNAL] Re: [Governance] topic", "<t1@x> <t2@x>", "three"),
                                    Msg("t4@x", "another topic", "", "four")};
  EXPECT_EQ(Add(month, "", SourceFormat::kPipermailText, "/archives/governance/2007-January.txt").imported, 4u);
  for (const char* id : {"t1@x", "t2@x", "t3@x", "t4@x"}) EXPECT_EQ(ListOf(id), "governance") << id;
  EXPECT_EQ(ThreadOf("t3@x").size(), 3u);
  // An mbox: a reply follows its parent, a new thread takes its tag, else "unsorted".
  Add({Msg("m1@x", "[SPAM] Re: topic", "<t1@x>", "five"), Msg("m2@x", "[policy] new", "", "six"),
       Msg("m3@x", "plain", "", "seven")},
      "");
  EXPECT_EQ(ListOf("m1@x"), "governance");
  EXPECT_EQ(ListOf("m2@x"), "policy");
  EXPECT_EQ(ListOf("m3@x"), "unsorted");
  // The same messages again, from another file: each is found where it already is.
  EXPECT_EQ(Add(month, "", SourceFormat::kMbox, "copy.mbox").duplicates, 4u);
  EXPECT_EQ(store_->Stats().value().messages, 7);
}

TEST_F(StoreTest, APipermailArchiveResumedAfterACrashChoosesAsTheFirstRunDid) {
  std::vector<std::string> month = {Msg("r1@x", "[Governance] topic", "", "one"),
                                    Msg("r2@x", "untagged new topic", "", "two"),
                                    Msg("r3@x", "another untagged one", "", "three")};
  const std::string file = "/archives/governance/2007-February.txt";
  EXPECT_EQ(Add({month[0], month[1]}, "", SourceFormat::kPipermailText, file).imported, 2u);
  // kill -9 here; a new process runs the same import from the start.
  store_.reset();
  Result<std::unique_ptr<Store>> reopened = Store::Open(db_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  store_ = std::move(reopened.value());
  ImportCounts again = Add(month, "", SourceFormat::kPipermailText, file);
  EXPECT_EQ(again.imported, 1u);
  EXPECT_EQ(again.duplicates, 2u);
  for (const char* id : {"r1@x", "r2@x", "r3@x"}) EXPECT_EQ(ListOf(id), "governance") << id;
}

TEST_F(StoreTest, QuarantinesWhatCannotBeParsed) {
  ImportCounts c = Add({"no headers at all\n", "no headers at all\n"});
  EXPECT_EQ(c.quarantined, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(store_->Stats().value().quarantined, 1);
}

TEST_F(StoreTest, SearchSyntax) {
  Add({Msg("en@x", "Consultation on enhanced cooperation", "",
           "We welcome the consultations and the officials' views.", "Jane Doe <jane@state.gov>",
           "Tue, 9 Jan 2007 09:00:00 +0000"),
       Msg("fr@x", "Régulation", "",
           "Nous sommes d'accord avec la régulation de l'Internet et les consultations publiques.",
           "André <andre@example.fr>", "Tue, 9 Jan 2008 09:00:00 +0000"),
       Msg("q@x", "Re: Consultation on enhanced cooperation", "<en@x>",
           "I disagree.\n\nOn Tue, Jan 9, 2007, Jane Doe wrote:\n> We welcome the consultations\n",
           "Bob <bob@example.net>", "Wed, 10 Jan 2007 09:00:00 +0000")});
  Add({Msg("other@x", "Spam about consultations", "", "buy consultations now", "s@spam.example",
           "Tue, 9 Jan 2007 09:00:00 +0000")},
      "other");
  EXPECT_EQ(Find("consultation"), (std::vector<std::string>{"en@x", "fr@x", "other@x", "q@x"}));
  // Quoted text is not indexed: q@x matches only through its subject.
  EXPECT_EQ(Find("welcome"), (std::vector<std::string>{"en@x"}));
  EXPECT_EQ(Find("regulation"), (std::vector<std::string>{"fr@x"}));  // stemmed, diacritics folded
  EXPECT_EQ(Find("\"enhanced cooperation\""), (std::vector<std::string>{"en@x", "q@x"}));
  EXPECT_EQ(Find("subject:spam"), (std::vector<std::string>{"other@x"}));
  EXPECT_EQ(Find("consultation list:policy -disagree"), (std::vector<std::string>{"en@x", "fr@x"}));
  EXPECT_EQ(Find("consultation from:andre"), (std::vector<std::string>{"fr@x"}));
  EXPECT_EQ(Find("consultation from:state.gov"), (std::vector<std::string>{"en@x"}));
  EXPECT_TRUE(Find("consultation from:_").empty());  // LIKE wildcards are literal
  EXPECT_EQ(Find("consultation after:2008-01-01"), (std::vector<std::string>{"fr@x"}));
  EXPECT_EQ(Find("consultation before:2007-01-10"), (std::vector<std::string>{"en@x", "other@x"}));
  EXPECT_EQ(Find("list:other"), (std::vector<std::string>{"other@x"}));
  EXPECT_TRUE(Find("consultation list:nosuchlist").empty());
  EXPECT_EQ(Find("consultation list:nosuchlist list:other"), (std::vector<std::string>{"other@x"}));
  EXPECT_TRUE(Find("\"cooperation enhanced\"").empty());
  EXPECT_TRUE(Find("consultation after:2030-01-01").empty());
  EXPECT_EQ(Find("consultation after:2007-01-09 before:2007-01-11"),
            (std::vector<std::string>{"en@x", "other@x", "q@x"}));
  EXPECT_TRUE(Find("nonexistentword").empty());
}

TEST_F(StoreTest, ChineseAndJapaneseWordsAreFoundInsideSentences) {
  auto utf8 = [](const std::string& id, const std::string& subject, const std::string& body) {
    return "From: Li Wei <li@example.cn>\nSubject: " + subject + "\nDate: Tue, 9 Jan 2007 09:22:30 +0000\n"
           "Message-ID: <" + id + ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n";
  };
  Add({utf8("zh@x", "会议纪要", "互联网治理论坛2025年会议在挪威举行，多利益相关方共同讨论人工智能与数据治理。"),
       utf8("ja@x", "議事録", "インターネット・ガバナンス・フォーラムの会議の議事録をウェブサイトに掲載しました。")});
  // Words from the middle and the end of a sentence written without spaces.
  EXPECT_EQ(Find("人工智能"), (std::vector<std::string>{"zh@x"}));
  EXPECT_EQ(Find("数据治理"), (std::vector<std::string>{"zh@x"}));
  EXPECT_EQ(Find("挪威"), (std::vector<std::string>{"zh@x"}));
  EXPECT_EQ(Find("会议"), (std::vector<std::string>{"zh@x"}));
  EXPECT_EQ(Find("議事録"), (std::vector<std::string>{"ja@x"}));
  EXPECT_EQ(Find("ガバナンス"), (std::vector<std::string>{"ja@x"}));
  EXPECT_EQ(Find("subject:纪要"), (std::vector<std::string>{"zh@x"}));
  // The characters of a word in that order, not anywhere in the message.
  EXPECT_TRUE(Find("智人").empty());
  Result<SearchResults> r = store_->Search(ParseQuery("人工智能").value(), {10, 0, false});
  ASSERT_TRUE(r.ok() && r.value().hits.size() == 1u);
  EXPECT_NE(r.value().hits[0].snippet.find("<mark>人</mark><mark>工</mark>"), std::string::npos)
      << r.value().hits[0].snippet;
}

TEST_F(StoreTest, RebuildingTheIndexKeepsEverySearch) {
  Add({Msg("a@x", "Consultation", "", "The consultation on enhanced cooperation opens today."),
       Msg("b@x", "Re: Consultation", "<a@x>", "> The consultation opens\nWelcome news for the working group.")});
  const std::vector<std::string> queries = {"consultation", "welcome", "\"enhanced cooperation\"", "subject:consultation",
                                            "opens -welcome"};
  std::vector<std::vector<std::string>> before;
  for (const std::string& q : queries) before.push_back(Find(q));
  Result<std::int64_t> rebuilt = store_->RebuildSearchIndex({});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
  EXPECT_EQ(rebuilt.value(), 2);
  for (std::size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(Find(queries[i]), before[i]) << queries[i];
  EXPECT_EQ(before[0].size(), 2u);
  EXPECT_TRUE(Find("opens").size() == 1u);  // the quoted line is not the author's own text
}

TEST_F(StoreTest, SnippetsMarkMatchesAndEscape) {
  Add({Msg("s@x", "Hello", "", "Some text about the consultation <script>alert(1)</script> process.")});
  Result<SearchResults> r = store_->Search(ParseQuery("consultations").value(), {10, 0, false});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().hits.size(), 1u);
  const std::string& snippet = r.value().hits[0].snippet;
  EXPECT_NE(snippet.find("<mark>consultation</mark>"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("<script>"), std::string::npos);
  EXPECT_NE(snippet.find("&lt;"), std::string::npos);
}

TEST_F(StoreTest, PeopleAndStakeholderGroups) {
  Add({Msg("1@x", "a", "", "x", "Jane Doe <jdoe@state.gov>"), Msg("2@x", "b", "", "x", "Jane Doe <jane.doe@state.gov>"),
       Msg("3@x", "c", "", "x", "Jane Doe <jane@gmail.com>")});
  Result<ArchiveStats> stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.value().people, 2);  // same name and domain merge; another domain does not
  ASSERT_FALSE(stats.value().per_group.empty());
  EXPECT_EQ(stats.value().per_group[0].key, "government");
  EXPECT_EQ(stats.value().per_group[0].count, 2);
}

// A Message-ID reused by a later message still names the first stored with it.
TEST_F(StoreTest, AReusedMessageIdNamesTheFirstStored) {
  Add({Msg("a@x", "Draft", "", "root")});
  Add({Msg("a@x", "Unrelated", "", "another message with the same id", "Ann Other <ann@example.net>")});
  Add({Msg("r@x", "Re: Draft", "<a@x>", "reply")});
  Result<std::int64_t> id = store_->FindMessage("<a@x>");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(store_->Message(id.value()).value().subject, "Draft");
  auto t = ThreadOf("r@x");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].subject, "Draft");
  EXPECT_EQ(t[1].depth, 1);
  EXPECT_EQ(ListOf("a@x"), "policy");
}

// Before migration 0011, references were a table with an index on ref, and a second
// index found messages by Message-ID. Moved, they still thread a parent imported later.
TEST_F(StoreTest, ReferencesStoredBeforeMigration11StillThread) {
  if (db_.starts_with("postgresql:")) GTEST_SKIP() << "a SQLite migration";
  Add({Msg("c@x", "Re: Draft", "<a@x> <b@x>", "reply to reply")});
  store_.reset();
  {
    Result<std::unique_ptr<SqliteConnection>> old = SqliteConnection::Open(db_);
    ASSERT_TRUE(old.ok()) << old.status().message();
    Status s = old.value()->Exec(
        "DROP TABLE message_refs;"
        "CREATE TABLE message_refs (ref TEXT NOT NULL, message INTEGER NOT NULL REFERENCES messages(id));"
        "CREATE INDEX message_refs_ref ON message_refs(ref);"
        "INSERT INTO message_refs SELECT 'a@x', id FROM messages;"
        "INSERT INTO message_refs SELECT 'b@x', id FROM messages;"
        "INSERT INTO message_refs SELECT 'b@x', id FROM messages;"  // old tables allowed repeats
        "CREATE INDEX messages_list_mid ON messages(list_id, message_id);"
        "DELETE FROM schema_migrations WHERE version = 11;",
        "making a database as version 10 left it");
    ASSERT_TRUE(s.ok()) << s.message();
  }
  Result<std::unique_ptr<Store>> upgraded = Store::Open(db_);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().message();
  store_ = std::move(upgraded.value());
  Add({Msg("a@x", "Draft", "", "root")});
  Add({Msg("b@x", "Re: Draft", "<a@x>", "reply")});
  ExpectReplyChain("c@x", {"a@x", "b@x", "c@x"});
}

TEST_F(StoreTest, ReopensWithoutReapplyingMigrations) {
  Add({Msg("a@x", "Draft", "", "root")});
  store_.reset();
  Result<std::unique_ptr<Store>> again = Store::Open(db_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again.value()->Stats().value().messages, 1);
}

}  // namespace
}  // namespace rt
