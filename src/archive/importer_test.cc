#include "archive/importer.h"

#include <gtest/gtest.h>

#include "mime/mime_parser.h"
#include "store/store.h"
#include "test_util.h"

namespace rt {
namespace {

// Every batch outweighs a one-byte budget: the reader then waits after each, and the
// import must still complete, in order, with nothing lost.
TEST(Importer, ABudgetSmallerThanABatchStillImportsEverything) {
  InitMime();
  testing::TempDir dir;
  std::string mbox = testing::GenerateArchive(dir, 300, "a.mbox");
  Result<std::unique_ptr<Store>> store = Store::Open(dir.File("a.db"));
  ASSERT_TRUE(store.ok()) << store.status().message();
  ImportOptions options;
  options.batch_messages = 7;
  options.held_bytes = 1;
  ImportReport report;
  Status s = Import(*store.value(), {mbox}, options, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.counts.imported, 300u);
  EXPECT_EQ(report.counts.duplicates, 0u);
}

}  // namespace
}  // namespace rt
