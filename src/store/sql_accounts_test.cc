#include <gtest/gtest.h>

#include "store/store_fixture.h"

namespace rt {
namespace {

using AccountsStoreTest = StoreTest;

TEST_F(AccountsStoreTest, AccountsAreUniqueAndClaimTheirArchivedPerson) {
  Add({Msg("1@x", "a", "", "x", "Jane Doe <jane@example.org>")});
  NewUser jane;
  jane.email = "jane@example.org";
  jane.display_name = "Jane";
  jane.stakeholder_group = "civil-society";
  auto id = store_->AddUser(jane);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(store_->AddUser(jane).status().code(), Status::Code::kInvalidArgument);
  NewUser bad = jane;
  bad.email = "bob@example.org";
  bad.stakeholder_group = "lobbyists";
  EXPECT_EQ(store_->AddUser(bad).status().code(), Status::Code::kInvalidArgument);
  auto user = store_->UserByEmail("jane@example.org");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user.value().stakeholder_group, "civil-society");
  EXPECT_FALSE(user.value().has_password);
  EXPECT_FALSE(user.value().email_verified);
  EXPECT_FALSE(user.value().group_verified);
  EXPECT_TRUE(store_->SetGroupVerified("jane@example.org", true).ok());
  EXPECT_TRUE(store_->UserByEmail("jane@example.org").value().group_verified);
  EXPECT_EQ(store_->SetGroupVerified("nobody@example.org", true).code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->UserByEmail("nobody@example.org").status().code(), Status::Code::kNotFound);
}

TEST_F(AccountsStoreTest, RolesAreScopedToAForumOrAList) {
  ASSERT_TRUE(store_->CreateList("igf", "policy", {}).ok());
  NewUser ana;
  ana.email = "ana@example.org";
  ASSERT_TRUE(store_->AddUser(ana).ok());
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"moderator", "igf", "policy"}, true).ok());
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"secretariat", "igf", ""}, true).ok());
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"secretariat", "igf", ""}, true).ok());  // idempotent
  EXPECT_EQ(store_->SetRole("ana@example.org", {"moderator", "igf", ""}, true).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->SetRole("ana@example.org", {"admin", "igf", ""}, true).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->SetRole("ana@example.org", {"moderator", "igf", "nope"}, true).code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->SetRole("ana@example.org", {"secretariat", "nope", ""}, true).code(), Status::Code::kNotFound);
  auto user = store_->UserByEmail("ana@example.org");
  ASSERT_TRUE(user.ok());
  ASSERT_EQ(user.value().roles.size(), 2u);
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"participant", "igf", "policy"}, true).ok());
  user = store_->UserByEmail("ana@example.org");
  ASSERT_EQ(user.value().roles.size(), 1u);
  EXPECT_EQ(user.value().roles[0].role, "secretariat");
  // A participant of the whole forum keeps no role in it, on any list.
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"moderator", "igf", "policy"}, true).ok());
  EXPECT_TRUE(store_->SetRole("ana@example.org", {"participant", "igf", ""}, true).ok());
  EXPECT_TRUE(store_->UserByEmail("ana@example.org").value().roles.empty());
}

TEST_F(AccountsStoreTest, ListSettingsAndSubscriptions) {
  ListSettings settings;
  settings.address = "policy@lists.example.org";
  settings.moderated = true;
  ASSERT_TRUE(store_->CreateList("igf", "policy", settings).ok());
  EXPECT_EQ(store_->CreateList("igf", "policy", {}).code(), Status::Code::kInvalidArgument);
  ListSettings change;
  change.description = "Policy discussion";
  EXPECT_TRUE(store_->UpdateList("igf", "policy", change).ok());
  EXPECT_EQ(store_->UpdateList("igf", "nope", change).code(), Status::Code::kNotFound);
  EXPECT_TRUE(store_->Subscribe("igf", "policy", "a@example.org", "each").ok());
  EXPECT_TRUE(store_->Subscribe("igf", "policy", "b@example.org", "digest").ok());
  EXPECT_TRUE(store_->Subscribe("igf", "policy", "a@example.org", "none").ok());  // a change, not a second row
  EXPECT_EQ(store_->Subscribe("igf", "policy", "c@example.org", "weekly").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->Subscribe("igf", "nope", "c@example.org", "each").code(), Status::Code::kNotFound);
  auto subscribers = store_->Subscribers("igf", "policy");
  ASSERT_TRUE(subscribers.ok());
  ASSERT_EQ(subscribers.value().size(), 2u);
  EXPECT_EQ(subscribers.value()[0].address, "a@example.org");
  EXPECT_EQ(subscribers.value()[0].mode, "none");
  // The new list shows in the archive's views too, empty.
  auto lists = store_->Lists("igf");
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists.value().size(), 1u);
  EXPECT_EQ(lists.value()[0].messages, 0);
}

}  // namespace
}  // namespace rt
