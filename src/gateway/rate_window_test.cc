#include "gateway/rate_window.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(RateWindow, CountsTheLastHourPerKey) {
  RateWindow w;
  EXPECT_EQ(w.CountAndAdd("a", 1000), 0);
  EXPECT_EQ(w.CountAndAdd("a", 1001), 1);
  EXPECT_EQ(w.CountAndAdd("b", 1001), 0);
  EXPECT_EQ(w.CountAndAdd("a", 1000 + 3600), 1);  // the first one left the window
}

}  // namespace
}  // namespace rt
