#include "accounts/password.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(PasswordTest, HashesVerifyAndDiffer) {
  Result<std::string> a = HashPassword("correct horse battery");
  Result<std::string> b = HashPassword("correct horse battery");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().rfind("$argon2id$", 0), 0u) << a.value();
  EXPECT_NE(a.value(), b.value());  // salted
  EXPECT_TRUE(VerifyPassword("correct horse battery", a.value()));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", a.value()));
  EXPECT_FALSE(VerifyPassword("correct horse battery", ""));
}

TEST(PasswordTest, LengthLimits) {
  EXPECT_EQ(HashPassword("short").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(HashPassword(std::string(2000, 'x')).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(CheckPassword("ten chars!").ok());
}

}  // namespace
}  // namespace rt
