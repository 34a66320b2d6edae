#pragma once
// The display order of a thread: its reply tree walked depth-first.

#include <cstdint>
#include <utility>
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

/// `items` (with id, parent_id and depth members, sorted by date) rearranged in
/// ReplyTreeOrder, each with its depth set.
template <typename Item>
std::vector<Item> InReplyTreeOrder(std::vector<Item> items) {
  std::vector<ReplyTreeNode> nodes;
  nodes.reserve(items.size());
  for (const Item& item : items) nodes.push_back({item.id, item.parent_id});
  std::vector<Item> ordered;
  ordered.reserve(items.size());
  for (const ReplyTreePosition& p : ReplyTreeOrder(nodes)) {
    ordered.push_back(std::move(items[p.index]));
    ordered.back().depth = p.depth;
  }
  return ordered;
}

}  // namespace rt
