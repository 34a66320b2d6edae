#include "web/attachment_types.h"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

TEST(AttachmentTypes, OnlyTypesAReaderCanOpenSafely) {
  EXPECT_TRUE(IsAllowedAttachmentType("application/pdf"));
  EXPECT_TRUE(IsAllowedAttachmentType("application/vnd.oasis.opendocument.text"));
  for (const char* refused : {"text/html", "image/svg+xml", "application/x-msdownload", "application/octet-stream", ""})
    EXPECT_FALSE(IsAllowedAttachmentType(refused)) << refused;
  EXPECT_NE(AttachmentAcceptList().find("image/png,image/jpeg"), std::string::npos);
}

TEST(AttachmentTypes, TheBytesMustBeWhatTheTypeSays) {
  EXPECT_TRUE(ContentMatchesType("application/pdf", "%PDF-1.7\n..."));
  EXPECT_FALSE(ContentMatchesType("application/pdf", std::string("MZ\x90\0\x03", 5)));  // a Windows program
  EXPECT_TRUE(ContentMatchesType("image/png", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)));
  EXPECT_FALSE(ContentMatchesType("image/png", "\x89PN"));
  EXPECT_TRUE(ContentMatchesType("image/gif", "GIF89a..."));
  EXPECT_TRUE(ContentMatchesType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                 std::string("PK\x03\x04\x14\0", 6)));
  EXPECT_TRUE(ContentMatchesType("application/msword", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", 9)));
  EXPECT_FALSE(ContentMatchesType("application/msword", std::string("PK\x03\x04", 4)));
  EXPECT_TRUE(ContentMatchesType("text/csv", "a,b\n1,2\n"));
  EXPECT_TRUE(ContentMatchesType("text/plain", ""));
  EXPECT_FALSE(ContentMatchesType("text/plain", std::string("ELF\0\1", 5)));
  EXPECT_FALSE(ContentMatchesType("text/html", "<p>"));
}

}  // namespace
}  // namespace rt
