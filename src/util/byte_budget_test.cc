#include "util/byte_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace rt {
namespace {

using namespace std::chrono_literals;

TEST(ByteBudget, TheSourceWaitsUntilEnoughIsReleased) {
  ByteBudget budget(100);
  budget.Add(60);
  budget.WaitForRoom();  // 60 of 100: room
  budget.Add(60);        // 120: the next wait blocks
  std::atomic<bool> woke{false};
  std::thread source([&] {
    budget.WaitForRoom();
    woke = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(woke);
  budget.Release(10);  // 110: still full
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(woke);
  budget.Release(60);  // 50
  source.join();
  EXPECT_TRUE(woke);
}

TEST(ByteBudget, CloseWakesTheSourceForGood) {
  ByteBudget budget(10);
  budget.Add(50);
  std::thread source([&] { budget.WaitForRoom(); });
  std::this_thread::sleep_for(20ms);
  budget.Close();
  source.join();
  budget.WaitForRoom();  // returns at once once closed
  budget.Release(500);   // more than is held: nothing below zero
  budget.Add(5);
  budget.WaitForRoom();
}

}  // namespace
}  // namespace rt
