#include "web/api.h"

#include <boost/json.hpp>

#include <functional>

#include "archive/body_structure.h"
#include "people/address.h"
#include "search/query.h"
#include "web/display.h"
#include "web/embedded_files.h"

namespace rt {

namespace json = boost::json;

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr std::int64_t kMaxSearchOffset = 2000;

using Params = std::vector<std::string>;  // the {placeholders} of a route, in order
using ApiHandler = std::function<Result<json::value>(const PageContext&, const Params&)>;

struct ApiRoute {
  std::string pattern;  // "/forums/{forum}/lists"
  ApiHandler handler;
};

const char* ErrorCode(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 429: return "rate_limited";
    case 503: return "busy";
    default: return "internal";
  }
}

// Paging parameters: a malformed one is a clear 400, never quietly the first page (a
// client looping over pages would otherwise loop for ever). Above the maximum is taken as
// the maximum, as documented.
Result<int> Limit(const PageContext& ctx) {
  std::string text = ctx.url.Param("limit");
  if (text.empty()) return kDefaultLimit;
  std::optional<std::int64_t> n = ParseInt(text);
  if (!n || *n < 1)
    return Status::InvalidArgument("limit must be a whole number from 1 to " + std::to_string(kMaxLimit));
  return static_cast<int>(std::min<std::int64_t>(*n, kMaxLimit));
}

Result<Cursor> DatedCursor(const PageContext& ctx) {
  std::string text = ctx.url.Param("cursor");
  if (text.empty()) return Cursor{};
  Cursor cursor = ParseCursor(text);
  if (cursor.id == 0) return Status::InvalidArgument("cursor: pass the next_cursor of the previous page, or none");
  return cursor;
}

// Pages counted by position (a thread's messages, search hits).
Result<std::int64_t> PositionCursor(const PageContext& ctx, std::int64_t max) {
  std::string text = ctx.url.Param("cursor");
  if (text.empty()) return 0;
  std::optional<std::int64_t> n = ParseInt(text);
  if (!n || *n < 0 || *n > max)
    return Status::InvalidArgument("cursor: pass the next_cursor of the previous page, or none");
  return *n;
}

Result<std::int64_t> Id(const std::string& text) {
  std::optional<std::int64_t> id = ParseInt(text);
  if (!id || *id <= 0) return Status::InvalidArgument("\"" + text + "\" is not an id");
  return *id;
}

json::value Nullable(const std::string& text) { return text.empty() ? json::value(nullptr) : json::value(text); }

json::object ForumJson(const ForumInfo& f) {
  return {{"slug", f.slug}, {"name", f.name.empty() ? f.slug : f.name}, {"list_count", f.lists}, {"thread_count", f.threads},
          {"message_count", f.messages}, {"last_activity", Nullable(IsoDate(f.last_date))}, {"url", ForumUrl(f.slug)}};
}

json::object ListJson(const ListInfo& l) {
  return {{"forum", l.forum}, {"name", l.name}, {"thread_count", l.threads}, {"message_count", l.messages},
          {"first_activity", Nullable(IsoDate(l.first_date))}, {"last_activity", Nullable(IsoDate(l.last_date))},
          {"url", ListUrl(l.forum, l.name)}};
}

json::object ThreadJson(const ThreadInfo& t) {
  return {{"id", t.id}, {"forum", t.forum}, {"list", t.list}, {"subject", t.subject},
          {"started_by", AuthorName(t.started_by, "")},
          {"message_count", t.messages}, {"participant_count", t.participants},
          {"first_date", Nullable(IsoDate(t.first_date))}, {"last_date", Nullable(IsoDate(t.last_date))},
          {"url", ThreadUrl(t.id)}};
}

json::object MessageJson(const MessageView& m, bool with_body) {
  json::object o{{"id", m.id}, {"message_id", m.message_id}, {"forum", m.forum}, {"list", m.list},
                 {"thread_id", m.thread_id}, {"parent_id", m.parent_id ? json::value(m.parent_id) : json::value(nullptr)},
                 {"depth", m.depth}, {"date", Nullable(IsoDate(m.date))}, {"from_name", AuthorName(m.from_name, "")},
                 {"from_address", m.from_address.empty() ? json::value(nullptr) : json::value(ObfuscateAddress(m.from_address))},
                 {"person_id", m.person_id ? json::value(m.person_id) : json::value(nullptr)},
                 {"stakeholder_group", m.stakeholder_group}, {"affiliation", m.affiliation}, {"subject", m.subject},
                 {"url", MessageUrl(m.id)}, {"raw_url", MessageUrl(m.id) + "/raw"}};
  if (with_body) {
    o["body_text"] = MaskAddresses(m.body_text);  // same length: `structure` offsets still hold
    json::array parts;
    for (const Segment& s : DecodeSegments(m.structure)) {
      const char* kind = s.kind == SegmentKind::kOwn ? "own" : s.kind == SegmentKind::kQuote ? "quote"
                         : s.kind == SegmentKind::kSignature ? "signature" : "footer";
      parts.push_back(json::object{{"kind", kind}, {"begin", s.begin}, {"end", s.end}});
    }
    o["structure"] = std::move(parts);
    json::array attachments;
    for (const AttachmentInfo& a : m.attachments)
      attachments.push_back(json::object{{"position", a.position}, {"filename", a.filename},
                                         {"content_type", a.content_type}, {"size", a.size},
                                         {"url", MessageUrl(m.id) + "/attachments/" + std::to_string(a.position) + "/" +
                                                     EncodeSegment(a.filename.empty() ? "attachment" : a.filename)}});
    o["attachments"] = std::move(attachments);
  }
  return o;
}

// A page of a keyset listing: the items, and the cursor of the last one when there may be more.
json::value NextCursor(bool more, const Cursor& last) { return more ? json::value(FormatCursor(last)) : json::value(nullptr); }

Result<json::value> Forums(const PageContext& ctx, const Params&) {
  Result<std::vector<ForumInfo>> forums = ctx.store.Forums();
  if (!forums.ok()) return forums.status();
  json::array out;
  for (const ForumInfo& f : forums.value()) out.push_back(ForumJson(f));
  return json::value(json::object{{"forums", std::move(out)}});
}

Result<json::value> Forum(const PageContext& ctx, const Params& p) {
  Result<ForumInfo> f = ctx.store.Forum(p[0]);
  if (!f.ok()) return f.status();
  return json::value(ForumJson(f.value()));
}

Result<json::value> Lists(const PageContext& ctx, const Params& p) {
  Result<std::vector<ListInfo>> lists = ctx.store.Lists(p[0]);
  if (!lists.ok()) return lists.status();
  json::array out;
  for (const ListInfo& l : lists.value()) out.push_back(ListJson(l));
  return json::value(json::object{{"lists", std::move(out)}});
}

Result<json::value> List(const PageContext& ctx, const Params& p) {
  Result<ListInfo> l = ctx.store.List(p[0], p[1]);
  if (!l.ok()) return l.status();
  return json::value(ListJson(l.value()));
}

Result<json::value> ListThreads(const PageContext& ctx, const Params& p) {
  Result<int> limit_param = Limit(ctx);
  if (!limit_param.ok()) return limit_param.status();
  Result<Cursor> cursor = DatedCursor(ctx);
  if (!cursor.ok()) return cursor.status();
  int limit = limit_param.value();
  Result<std::vector<ThreadInfo>> threads = ctx.store.ListThreads(p[0], p[1], cursor.value(), limit + 1);
  if (!threads.ok()) return threads.status();
  bool more = threads.value().size() > static_cast<std::size_t>(limit);
  if (more) threads.value().pop_back();
  json::array out;
  for (const ThreadInfo& t : threads.value()) out.push_back(ThreadJson(t));
  Cursor last = threads.value().empty() ? Cursor{} : Cursor{threads.value().back().last_date, threads.value().back().id};
  return json::value(json::object{{"threads", std::move(out)}, {"next_cursor", NextCursor(more, last)}});
}

Result<json::value> Thread(const PageContext& ctx, const Params& p) {
  Result<std::int64_t> id = Id(p[0]);
  if (!id.ok()) return id.status();
  Result<ThreadInfo> info = ctx.store.ThreadSummary(id.value());
  if (!info.ok()) return info.status();
  // The order needs every message; bodies are read for this page's only.
  Result<std::vector<MessageView>> messages = ctx.store.ThreadMessages(id.value(), false);
  if (!messages.ok()) return messages.status();
  Result<int> limit = Limit(ctx);
  if (!limit.ok()) return limit.status();
  Result<std::int64_t> cursor = PositionCursor(ctx, static_cast<std::int64_t>(messages.value().size()));
  if (!cursor.ok()) return cursor.status();
  std::size_t begin = static_cast<std::size_t>(cursor.value());
  std::size_t end = std::min(messages.value().size(), begin + static_cast<std::size_t>(limit.value()));
  json::array out;
  for (std::size_t i = begin; i < end; ++i) {
    Result<MessageView> full = ctx.store.Message(messages.value()[i].id);
    if (!full.ok()) return full.status();
    full.value().depth = messages.value()[i].depth;
    out.push_back(MessageJson(full.value(), true));
  }
  json::object o = ThreadJson(info.value());
  o["messages"] = std::move(out);
  o["next_cursor"] = end < messages.value().size() ? json::value(std::to_string(end)) : json::value(nullptr);
  return json::value(std::move(o));
}

Result<json::value> Message(const PageContext& ctx, const Params& p) {
  Result<std::int64_t> id = Id(p[0]);
  if (!id.ok()) return id.status();
  Result<MessageView> m = ctx.store.Message(id.value());
  if (!m.ok()) return m.status();
  return json::value(MessageJson(m.value(), true));
}

Result<json::value> Person(const PageContext& ctx, const Params& p) {
  Result<std::int64_t> id = Id(p[0]);
  if (!id.ok()) return id.status();
  Result<PersonInfo> person = ctx.store.Person(id.value());
  if (!person.ok()) return person.status();
  const PersonInfo& info = person.value();
  json::array addresses, lists;
  for (const std::string& a : info.addresses) addresses.push_back(json::value(ObfuscateAddress(a)));
  for (const PersonInfo::ListCount& l : info.lists)
    lists.push_back(json::object{{"forum", l.forum}, {"list", l.list}, {"message_count", l.messages}});
  return json::value(json::object{{"id", info.id}, {"display_name", AuthorName(info.display_name, "")},
                                  {"stakeholder_group", info.stakeholder_group}, {"affiliation", info.affiliation},
                                  {"addresses", std::move(addresses)}, {"lists", std::move(lists)},
                                  {"message_count", info.messages}, {"first_date", Nullable(IsoDate(info.first_date))},
                                  {"last_date", Nullable(IsoDate(info.last_date))}, {"url", PersonUrl(info.id)}});
}

Result<json::value> PersonMessages(const PageContext& ctx, const Params& p) {
  Result<std::int64_t> id = Id(p[0]);
  if (!id.ok()) return id.status();
  Result<PersonInfo> person = ctx.store.Person(id.value());
  if (!person.ok()) return person.status();
  Result<int> limit_param = Limit(ctx);
  if (!limit_param.ok()) return limit_param.status();
  Result<Cursor> cursor = DatedCursor(ctx);
  if (!cursor.ok()) return cursor.status();
  int limit = limit_param.value();
  Result<std::vector<MessageSummary>> messages = ctx.store.PersonMessages(id.value(), cursor.value(), limit + 1);
  if (!messages.ok()) return messages.status();
  bool more = messages.value().size() > static_cast<std::size_t>(limit);
  if (more) messages.value().pop_back();
  json::array out;
  for (const MessageSummary& m : messages.value())
    out.push_back(json::object{{"id", m.id}, {"message_id", m.message_id}, {"forum", m.forum}, {"list", m.list},
                               {"thread_id", m.thread_id}, {"date", Nullable(IsoDate(m.date))},
                               {"subject", m.subject}, {"url", MessageUrl(m.id)}});
  Cursor last = messages.value().empty() ? Cursor{} : Cursor{messages.value().back().date, messages.value().back().id};
  return json::value(json::object{{"messages", std::move(out)}, {"next_cursor", NextCursor(more, last)}});
}

Result<json::value> Search(const PageContext& ctx, const Params&) {
  std::string text = CombinedQuery(ctx.url);
  if (text.find_first_not_of(" \t") == std::string::npos) return Status::InvalidArgument("the parameter q is missing");
  Result<SearchQuery> query = ParseQuery(text);
  if (!query.ok()) return query.status();
  if (Status limits = CheckQueryLimits(query.value(), text); !limits.ok()) return limits;
  Result<int> limit_param = Limit(ctx);
  if (!limit_param.ok()) return limit_param.status();
  int limit = limit_param.value();
  // Only the newest matches are ranked (Store::Search): no page lies beyond them.
  Result<std::int64_t> offset = PositionCursor(ctx, kMaxSearchOffset);
  if (!offset.ok()) return offset.status();
  SearchPage page{limit, static_cast<int>(offset.value()), true};
  Result<SearchResults> results = ctx.store.Search(query.value(), page);
  if (!results.ok()) return results.status();
  json::array hits;
  for (const SearchHit& h : results.value().hits)
    hits.push_back(json::object{{"id", h.id}, {"message_id", h.message_id}, {"forum", h.forum}, {"list", h.list},
                                {"thread_id", h.thread_id}, {"date", Nullable(IsoDate(h.date))},
                                {"from_name", AuthorName(h.from_name, "")},
                                {"from_address", h.from_address.empty() ? json::value(nullptr) : json::value(ObfuscateAddress(h.from_address))},
                                {"subject", h.subject}, {"snippet", h.snippet},
                                {"url", ThreadUrl(h.thread_id) + "#m" + std::to_string(h.id)}});
  bool more = page.offset + limit < results.value().total;
  return json::value(json::object{{"total", results.value().total},
                                  {"total_is_lower_bound", results.value().total_is_lower_bound},
                                  {"hits", std::move(hits)},
                                  {"next_cursor", more ? json::value(std::to_string(page.offset + limit)) : json::value(nullptr)}});
}

Result<json::value> Stats(const PageContext& ctx, const Params& p) {
  Result<ForumActivity> activity = ctx.store.Activity(p[0], 10);
  if (!activity.ok()) return activity.status();
  auto monthly = [](const std::vector<MonthlyCount>& rows, const char* key) {
    json::array out;
    for (const MonthlyCount& r : rows) out.push_back(json::object{{"month", r.month}, {key, r.key}, {"messages", r.messages}});
    return out;
  };
  json::array top;
  for (const ThreadInfo& t : activity.value().top_threads) top.push_back(ThreadJson(t));
  return json::value(json::object{{"forum", p[0]}, {"by_list", monthly(activity.value().by_list, "list")},
                                  {"by_group", monthly(activity.value().by_group, "stakeholder_group")},
                                  {"top_threads", std::move(top)}});
}

const std::vector<ApiRoute>& Routes() {
  static const std::vector<ApiRoute> kRoutes = {
      {"/forums", Forums},
      {"/forums/{forum}", Forum},
      {"/forums/{forum}/lists", Lists},
      {"/forums/{forum}/lists/{list}", List},
      {"/forums/{forum}/lists/{list}/threads", ListThreads},
      {"/forums/{forum}/stats", Stats},
      {"/threads/{thread_id}", Thread},
      {"/messages/{message_id}", Message},
      {"/people/{person_id}", Person},
      {"/people/{person_id}/messages", PersonMessages},
      {"/search", Search},
  };
  return kRoutes;
}

// The pattern's placeholders filled from `segments`, or nothing when it does not match.
std::optional<Params> Match(const std::string& pattern, const std::vector<std::string>& segments) {
  std::vector<std::string> parts;
  for (std::size_t pos = 1; pos <= pattern.size();) {
    std::size_t end = pattern.find('/', pos);
    if (end == std::string::npos) end = pattern.size();
    parts.push_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  if (parts.size() != segments.size()) return std::nullopt;
  Params params;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].empty() && parts[i].front() == '{') params.push_back(segments[i]);
    else if (parts[i] != segments[i]) return std::nullopt;
  }
  return params;
}

Page JsonPage(int status, const json::value& body) {
  Page page;
  page.status = status;
  page.content_type = "application/json";
  page.body = json::serialize(body);
  return page;
}

}  // namespace

std::string ApiErrorBody(int status, const std::string& message) {
  return json::serialize(json::object{{"error", json::object{{"code", ErrorCode(status)}, {"message", message}}}});
}

Page ApiPage(const PageContext& ctx, const std::vector<std::string>& segments) {
  if (segments.size() == 1 && segments[0] == "openapi.json") {
    Page page;
    page.content_type = "application/json";
    page.body = std::string(EmbeddedApiDocuments().at(0).data);
    return page;
  }
  for (const ApiRoute& route : Routes()) {
    std::optional<Params> params = Match(route.pattern, segments);
    if (!params) continue;
    Result<json::value> body = route.handler(ctx, *params);
    if (body.ok()) return JsonPage(200, body.value());
    int status = HttpStatusFor(body.status());
    Page page;
    page.status = status;
    page.content_type = "application/json";
    page.body = ApiErrorBody(status, status >= 500 ? "the server could not answer; please retry later"
                                                   : body.status().message());
    page.cacheable = false;
    return page;
  }
  Page page;
  page.status = 404;
  page.content_type = "application/json";
  page.body = ApiErrorBody(404, "no such API route; see /api/v1/openapi.json");
  page.cacheable = false;
  return page;
}

std::vector<std::string> ApiRoutePatterns() {
  std::vector<std::string> patterns;
  for (const ApiRoute& route : Routes()) patterns.push_back(route.pattern);
  patterns.push_back("/openapi.json");
  return patterns;
}

}  // namespace rt
