#pragma once
// The display order of a thread: its reply tree walked depth-first.

#include <cstdint>
#include <vector>

namespace rt {

struct ReplyTreeNode {
  std::int64_t id = 0;
  std::int64_t parent_id = 0;  ///< 0, or an id not among the nodes: a root
};

struct ReplyTreePosition {
  std::size_t index = 0;  ///< into the nodes given
  int depth = 0;
};

/// Every node once, depth-first from the roots, siblings in the order given (callers
/// pass nodes sorted by date). Nodes caught in a parent cycle, which stored data
/// should never have, still appear, as extra roots.
std::vector<ReplyTreePosition> ReplyTreeOrder(const std::vector<ReplyTreeNode>& nodes);

}  // namespace rt
