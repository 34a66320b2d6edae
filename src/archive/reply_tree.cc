#include "archive/reply_tree.h"

#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace rt {

std::vector<ReplyTreePosition> ReplyTreeOrder(const std::vector<ReplyTreeNode>& nodes) {
  std::unordered_set<std::int64_t> ids;
  for (const ReplyTreeNode& n : nodes) ids.insert(n.id);
  std::unordered_map<std::int64_t, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].parent_id != 0 && nodes[i].parent_id != nodes[i].id && ids.count(nodes[i].parent_id))
      children[nodes[i].parent_id].push_back(i);
    else
      roots.push_back(i);
  }
  std::vector<ReplyTreePosition> order;
  order.reserve(nodes.size());
  std::vector<char> visited(nodes.size(), 0);
  auto walk_from = [&](std::size_t root) {
    std::vector<std::pair<std::size_t, int>> stack = {{root, 0}};
    while (!stack.empty()) {
      auto [index, depth] = stack.back();
      stack.pop_back();
      if (visited[index]) continue;
      visited[index] = 1;
      order.push_back({index, depth});
      auto it = children.find(nodes[index].id);
      if (it == children.end()) continue;
      for (auto kid = it->second.rbegin(); kid != it->second.rend(); ++kid) stack.push_back({*kid, depth + 1});
    }
  };
  for (std::size_t root : roots) walk_from(root);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!visited[i]) walk_from(i);
  return order;
}

}  // namespace rt
