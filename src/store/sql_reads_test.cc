#include <gtest/gtest.h>

#include "store/store_fixture.h"

namespace rt {
namespace {

using ReadsTest = StoreTest;

constexpr const char* kWithAttachment =
    "From: Ana <ana@example.org>\nSubject: Agenda\nDate: Wed, 10 Jan 2007 10:00:00 +0000\n"
    "Message-ID: <att@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
    "Content-Type: text/plain\n\nSee the agenda.\n--b\nContent-Type: application/pdf\n"
    "Content-Disposition: attachment; filename=\"agenda.pdf\"\nContent-Transfer-Encoding: base64\n\n"
    "JVBERi0xLjQK\n--b--\n";

TEST_F(ReadsTest, ForumsListsAndThreadsWithCounts) {
  Add({Msg("a@x", "Draft", "", "root"), Msg("b@x", "Re: Draft", "<a@x>", "reply", "Bob <bob@example.net>",
                                              "Wed, 10 Jan 2007 09:22:30 +0000"),
       Msg("c@x", "Other", "", "other", "Jane Doe <jane@example.org>", "Thu, 11 Jan 2007 09:00:00 +0000")});
  Add({Msg("d@x", "Elsewhere", "", "x")}, "governance");
  auto forums = store_->Forums();
  ASSERT_TRUE(forums.ok());
  ASSERT_EQ(forums.value().size(), 1u);
  EXPECT_EQ(forums.value()[0].slug, "main");
  EXPECT_EQ(forums.value()[0].messages, 4);
  EXPECT_EQ(forums.value()[0].lists, 2);
  auto lists = store_->Lists("main");
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists.value().size(), 2u);
  EXPECT_EQ(lists.value()[1].name, "policy");
  EXPECT_EQ(lists.value()[1].threads, 2);
  EXPECT_EQ(lists.value()[1].messages, 3);
  EXPECT_EQ(store_->Lists("nope").status().code(), Status::Code::kNotFound);

  auto first = store_->ListThreads("main", "policy", {}, 1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first.value().size(), 1u);
  EXPECT_EQ(first.value()[0].subject, "Other");  // most recently active first
  const ThreadInfo& newest = first.value()[0];
  auto second = store_->ListThreads("main", "policy", {newest.last_date, newest.id}, 10);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second.value().size(), 1u);
  EXPECT_EQ(second.value()[0].subject, "Draft");
  EXPECT_EQ(second.value()[0].messages, 2);
  EXPECT_EQ(second.value()[0].participants, 2);
  EXPECT_EQ(second.value()[0].started_by, "Jane Doe");
}

TEST_F(ReadsTest, ThreadMessagesInReplyOrderWithBodies) {
  Add({Msg("a@x", "Draft", "", "root text"), Msg("c@x", "Re: Draft", "<a@x>", "second reply", "C <c@example.org>",
                                                    "Thu, 11 Jan 2007 09:00:00 +0000"),
       Msg("b@x", "Re: Draft", "<a@x>", "first reply", "B <b@example.org>", "Wed, 10 Jan 2007 09:00:00 +0000"),
       Msg("d@x", "Re: Draft", "<a@x> <b@x>", "> first reply\nagreed", "D <d@example.org>",
           "Fri, 12 Jan 2007 09:00:00 +0000")});
  auto id = store_->FindMessage("<d@x>");
  ASSERT_TRUE(id.ok());
  auto message = store_->Message(id.value());
  ASSERT_TRUE(message.ok());
  auto thread = store_->ThreadMessages(message.value().thread_id, true);
  ASSERT_TRUE(thread.ok());
  std::vector<std::string> order;
  for (const MessageView& m : thread.value()) order.push_back(m.message_id + ":" + std::to_string(m.depth));
  EXPECT_EQ(order, (std::vector<std::string>{"a@x:0", "b@x:1", "d@x:2", "c@x:1"}));
  EXPECT_NE(thread.value()[2].body_text.find("agreed"), std::string::npos);
  EXPECT_FALSE(thread.value()[2].structure.empty());
  auto without = store_->ThreadMessages(message.value().thread_id, false);
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without.value()[0].body_text.empty());
  EXPECT_EQ(store_->ThreadMessages(999, true).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->FindMessage("missing@x").status().code(), Status::Code::kNotFound);
}

TEST_F(ReadsTest, RawBytesAndAttachments) {
  Add({kWithAttachment});
  auto id = store_->FindMessage("att@x");
  ASSERT_TRUE(id.ok());
  auto raw = store_->RawMessage(id.value());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value(), kWithAttachment);
  auto message = store_->Message(id.value());
  ASSERT_TRUE(message.ok());
  ASSERT_EQ(message.value().attachments.size(), 1u);
  EXPECT_EQ(message.value().attachments[0].filename, "agenda.pdf");
  auto data = store_->Attachment(id.value(), message.value().attachments[0].position);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data.value().data, "%PDF-1.4\n");
  EXPECT_EQ(data.value().content_type, "application/pdf");
  EXPECT_EQ(store_->Attachment(id.value(), 42).status().code(), Status::Code::kNotFound);
}

TEST_F(ReadsTest, PeopleTheirListsAndMessages) {
  Add({Msg("1@x", "a", "", "x", "Jane Doe <jdoe@state.gov>"),
       Msg("2@x", "b", "", "x", "Jane Doe <jane.doe@state.gov>", "Wed, 10 Jan 2007 09:00:00 +0000")});
  Add({Msg("3@x", "c", "", "x", "Jane Doe <jdoe@state.gov>", "Thu, 11 Jan 2007 09:00:00 +0000")}, "governance");
  auto id = store_->FindMessage("1@x");
  ASSERT_TRUE(id.ok());
  std::int64_t person_id = store_->Message(id.value()).value().person_id;
  auto person = store_->Person(person_id);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person.value().display_name, "Jane Doe");
  EXPECT_EQ(person.value().stakeholder_group, "government");
  EXPECT_EQ(person.value().addresses.size(), 2u);
  EXPECT_EQ(person.value().messages, 3);
  ASSERT_EQ(person.value().lists.size(), 2u);
  EXPECT_EQ(person.value().lists[0].list, "policy");
  auto page = store_->PersonMessages(person_id, {}, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.value().size(), 2u);
  EXPECT_EQ(page.value()[0].message_id, "3@x");
  auto rest = store_->PersonMessages(person_id, {page.value()[1].date, page.value()[1].id}, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest.value().size(), 1u);
  EXPECT_EQ(rest.value()[0].message_id, "1@x");
}

TEST_F(ReadsTest, ActivityPerMonthListAndGroup) {
  Add({Msg("1@x", "a", "", "x", "Jane Doe <jdoe@state.gov>"),
       Msg("2@x", "Re: a", "<1@x>", "x", "Bob <bob@example.net>", "Tue, 6 Feb 2007 09:00:00 +0000")});
  auto activity = store_->Activity("main", 5);
  ASSERT_TRUE(activity.ok());
  ASSERT_EQ(activity.value().by_list.size(), 2u);
  EXPECT_EQ(activity.value().by_list[0].month, "2007-01");
  EXPECT_EQ(activity.value().by_list[0].key, "policy");
  EXPECT_EQ(activity.value().by_group[0].key, "government");
  ASSERT_EQ(activity.value().top_threads.size(), 1u);
  EXPECT_EQ(activity.value().top_threads[0].messages, 2);
}

TEST_F(ReadsTest, ChangeCounterMovesWhenAnotherConnectionWrites) {
  auto reader = Store::Open(db_, {.cache_mib = 4});
  ASSERT_TRUE(reader.ok());
  auto before = reader.value()->ChangeCounter();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(reader.value()->ChangeCounter().value(), before.value());
  Add({Msg("1@x", "a", "", "x")});
  EXPECT_NE(reader.value()->ChangeCounter().value(), before.value());
}

TEST_F(ReadsTest, ChangeCounterIgnoresOtherArchives) {
  // Another archive beside this one (on PostgreSQL another schema of the same database,
  // whose notifications share its channels).
  testing::TempDir other_dir;
  Result<std::unique_ptr<Store>> other = Store::Open(testing::TestDatabase(other_dir));
  ASSERT_TRUE(other.ok()) << other.status().message();
  auto reader = Store::Open(db_, {.cache_mib = 4});
  ASSERT_TRUE(reader.ok());
  std::int64_t before = reader.value()->ChangeCounter().value();
  ImportTarget target;
  target.list = "policy";
  std::vector<ImportItem> items;
  RawMessage raw;
  raw.bytes = Msg("elsewhere@x", "Elsewhere", "", "another archive's message");
  raw.source = "test";
  raw.format = SourceFormat::kMbox;
  items.push_back(processor_.Process(std::move(raw)));
  ImportCounts counts;
  ASSERT_TRUE(other.value()->WriteBatch(items, target, &counts).ok());
  EXPECT_EQ(reader.value()->ChangeCounter().value(), before);
  Add({Msg("here@x", "Here", "", "this archive's message")});
  EXPECT_NE(reader.value()->ChangeCounter().value(), before);
}

}  // namespace
}  // namespace rt
