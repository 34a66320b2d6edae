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
  // ZIP-based documents: the package's own markers, not any ZIP.
  std::string zip("PK\x03\x04\x14\0", 6);
  EXPECT_FALSE(ContentMatchesType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", zip));
  EXPECT_TRUE(ContentMatchesType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                 zip + "...[Content_Types].xml...word/document.xml..."));
  EXPECT_FALSE(ContentMatchesType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                  zip + "...[Content_Types].xml...word/document.xml..."));
  std::string odt = "PK\x03\x04" + std::string(26, '\0') + "mimetypeapplication/vnd.oasis.opendocument.text";
  ASSERT_EQ(odt.substr(30, 8), "mimetype");
  EXPECT_TRUE(ContentMatchesType("application/vnd.oasis.opendocument.text", odt));
  EXPECT_FALSE(ContentMatchesType("application/vnd.oasis.opendocument.spreadsheet", odt));
  EXPECT_FALSE(ContentMatchesType("application/vnd.oasis.opendocument.text", zip));  // too short to hold it
  EXPECT_TRUE(ContentMatchesType("application/msword", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", 9)));
  EXPECT_FALSE(ContentMatchesType("application/msword", std::string("PK\x03\x04", 4)));
  EXPECT_TRUE(ContentMatchesType("text/csv", "a,b\n1,2\n"));
  EXPECT_TRUE(ContentMatchesType("text/plain", ""));
  EXPECT_FALSE(ContentMatchesType("text/plain", std::string("ELF\0\1", 5)));
  EXPECT_TRUE(ContentMatchesType("text/plain", std::string("\xFF\xFEh\0i\0", 6)));  // UTF-16
  EXPECT_FALSE(ContentMatchesType("text/html", "<p>"));
}

}  // namespace
}  // namespace rt
