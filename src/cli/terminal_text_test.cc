#include "cli/terminal_text.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(TerminalTextTest, ControlsAndOverridesBecomeReplacementCharacters) {
  EXPECT_EQ(TerminalText("Draft \xC3\xA9t\xC3\xA9 \xD0\x9F\xD1\x80\xD0\xB8"), "Draft \xC3\xA9t\xC3\xA9 \xD0\x9F\xD1\x80\xD0\xB8");
  EXPECT_EQ(TerminalText("a\x1B]0;owned\x07z"), "a\xEF\xBF\xBD]0;owned\xEF\xBF\xBDz");
  EXPECT_EQ(TerminalText("x\x1B[2Jy\rz\x7F"), "x\xEF\xBF\xBD[2Jy\xEF\xBF\xBDz\xEF\xBF\xBD");
  EXPECT_EQ(TerminalText("\xC2\x9B" "31m"), "\xEF\xBF\xBD" "31m");      // C1 CSI
  EXPECT_EQ(TerminalText("abc\xE2\x80\xAE" "fdp.exe"), "abc\xEF\xBF\xBD" "fdp.exe");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(TerminalText("\xE2\x81\xA6x"), "\xEF\xBF\xBDx");  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(TerminalText("\xE2\x80\x94 dash"), "\xE2\x80\x94 dash");  // EM DASH stays
  EXPECT_EQ(TerminalText(std::string_view("a\0b", 3)), "a\xEF\xBF\xBD" "b");
}

}  // namespace
}  // namespace rt
