#include "web/page_cache.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(PageCacheTest, NewGenerationEmptiesTheCache) {
  PageCache cache(1 << 20);
  cache.NewGeneration(1000);
  std::uint64_t generation = cache.generation();
  cache.Insert("k", MakeCachedBody("text/plain", "hello", cache.generation_time()), generation);
  ASSERT_NE(cache.Find("k"), nullptr);
  cache.NewGeneration(1001);
  EXPECT_EQ(cache.Find("k"), nullptr);
  // A page rendered in the old generation is not kept.
  cache.Insert("k", MakeCachedBody("text/plain", "hello", 1000), generation);
  EXPECT_EQ(cache.Find("k"), nullptr);
}

TEST(PageCacheTest, SecondsWithSeveralGenerationsAreAmbiguous) {
  PageCache cache(1 << 20);
  cache.NewGeneration(1000);
  EXPECT_FALSE(cache.SeveralGenerationsIn(1000));
  cache.NewGeneration(1005);
  EXPECT_EQ(cache.generation_time(), 1005);
  EXPECT_FALSE(cache.SeveralGenerationsIn(1005));
  EXPECT_FALSE(cache.SeveralGenerationsIn(1000));
  // The archive changed again within the same second: 1005 no longer names one version.
  cache.NewGeneration(1005);
  EXPECT_EQ(cache.generation_time(), 1005);
  EXPECT_TRUE(cache.SeveralGenerationsIn(1005));
  cache.NewGeneration(1006);
  EXPECT_FALSE(cache.SeveralGenerationsIn(1006));
}

TEST(PageCacheTest, GenerationTimeNeverGoesBack) {
  PageCache cache(1 << 20);
  cache.NewGeneration(2000);
  cache.NewGeneration(1990);  // the clock stepped back
  EXPECT_EQ(cache.generation_time(), 2000);
  EXPECT_TRUE(cache.SeveralGenerationsIn(2000));
}

}  // namespace
}  // namespace rt
