// web/openapi.json must describe the API that api.cc serves: the same routes, and every
// placeholder of a route declared as a path parameter.

#include "web/api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "web/embedded_files.h"

namespace rt {
namespace {

namespace json = boost::json;

json::object ApiDocument() {
  EXPECT_EQ(EmbeddedApiDocuments().size(), 1u);
  boost::system::error_code ec;
  json::value doc = json::parse(EmbeddedApiDocuments().at(0).data, ec);
  EXPECT_FALSE(ec) << "web/openapi.json is not JSON: " << ec.message();
  return doc.is_object() ? doc.as_object() : json::object{};
}

// What `maybe_ref` stands for: itself, or the object a local "#/a/b/c" reference names;
// nullptr when the reference leads nowhere.
const json::value* Resolve(const json::object& doc, const json::value& maybe_ref) {
  if (!maybe_ref.is_object() || !maybe_ref.as_object().contains("$ref")) return &maybe_ref;
  std::string ref(maybe_ref.as_object().at("$ref").as_string());
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const json::object* object = &doc;
  const json::value* found = nullptr;
  for (std::size_t pos = 2; pos <= ref.size();) {
    std::size_t end = std::min(ref.find('/', pos), ref.size());
    std::string key = ref.substr(pos, end - pos);
    if (!object || !object->contains(key)) return nullptr;
    found = &object->at(key);
    object = found->is_object() ? &found->as_object() : nullptr;
    pos = end + 1;
  }
  return found;
}

// "{forum}" and "{list}" of "/forums/{forum}/lists/{list}".
std::set<std::string> Placeholders(const std::string& pattern) {
  std::set<std::string> names;
  for (std::size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
    std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) break;
    names.insert(pattern.substr(open + 1, close - open - 1));
  }
  return names;
}

TEST(ApiDocument, IsOpenApi303ServedUnderApiV1) {
  json::object doc = ApiDocument();
  ASSERT_TRUE(doc.contains("openapi"));
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  ASSERT_TRUE(doc.contains("servers"));
  EXPECT_EQ(doc.at("servers").as_array().at(0).as_object().at("url").as_string(), "/api/v1");
}

TEST(ApiDocument, PathsAreExactlyTheApiRoutes) {
  json::object doc = ApiDocument();
  ASSERT_TRUE(doc.contains("paths") && doc.at("paths").is_object());
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) documented.insert(std::string(path));
  std::vector<std::string> patterns = ApiRoutePatterns();
  std::set<std::string> served(patterns.begin(), patterns.end());
  EXPECT_EQ(served.size(), patterns.size()) << "a route is listed twice";
  EXPECT_EQ(documented, served);
  for (const std::string& route : served) EXPECT_TRUE(documented.count(route)) << route << " is not documented";
  for (const std::string& path : documented) EXPECT_TRUE(served.count(path)) << path << " is documented but not served";
}

TEST(ApiDocument, EveryPlaceholderIsARequiredPathParameter) {
  json::object doc = ApiDocument();
  ASSERT_TRUE(doc.contains("paths"));
  int operations = 0;
  for (const auto& [path_key, item_value] : doc.at("paths").as_object()) {
    std::string path(path_key);
    const json::object& item = item_value.as_object();
    std::set<std::string> placeholders = Placeholders(path);
    for (const auto& [method, operation] : item) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      ++operations;
      EXPECT_EQ(method, "get") << path << ": the API only answers GET";
      // Parameters may sit on the path item and on the operation.
      std::set<std::string> declared;
      for (const json::object* holder : {&item, &operation.as_object()}) {
        if (!holder->contains("parameters")) continue;
        for (const json::value& p : holder->at("parameters").as_array()) {
          const json::value* param = Resolve(doc, p);
          ASSERT_NE(param, nullptr) << path << ": unresolvable " << json::serialize(p);
          const json::object& o = param->as_object();
          if (o.at("in").as_string() != "path") continue;
          std::string name(o.at("name").as_string());
          declared.insert(name);
          EXPECT_TRUE(o.contains("required") && o.at("required").as_bool()) << path << ": {" << name << "}";
        }
      }
      EXPECT_EQ(declared, placeholders) << path;
      for (const std::string& name : placeholders)
        EXPECT_TRUE(declared.count(name)) << path << ": {" << name << "} is not declared as a path parameter";
      const json::object& responses = operation.as_object().at("responses").as_object();
      EXPECT_TRUE(responses.contains("200")) << path;
    }
  }
  EXPECT_EQ(operations, static_cast<int>(ApiRoutePatterns().size()));
}

TEST(ApiDocument, EveryReferenceResolves) {
  json::object doc = ApiDocument();
  int refs = 0;
  std::function<void(const json::value&)> walk = [&](const json::value& v) {
    if (v.is_object()) {
      if (v.as_object().contains("$ref")) {
        ++refs;
        EXPECT_NE(Resolve(doc, v), nullptr) << json::serialize(v);
      }
      for (const auto& [key, child] : v.as_object()) walk(child);
    } else if (v.is_array()) {
      for (const json::value& child : v.as_array()) walk(child);
    }
  };
  walk(doc);
  EXPECT_GT(refs, 0);
}

}  // namespace
}  // namespace rt
