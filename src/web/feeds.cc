// Atom feeds (RFC 4287): a list's newest threads, a thread's messages.

#include <algorithm>

#include "archive/body_structure.h"
#include "people/address.h"
#include "util/utf8_prefix.h"
#include "web/display.h"
#include "web/pages.h"

namespace rt {

namespace {

constexpr int kEntries = 30;
// Feed readers show a summary; the link has the rest.
constexpr std::size_t kEntryTextBytes = 2000;

std::string OwnText(const MessageView& m) {
  std::vector<Segment> segments = DecodeSegments(m.structure);
  std::string text = MaskAddresses(segments.empty() ? m.body_text : TextOfKind(m.body_text, segments, SegmentKind::kOwn));
  if (text.size() > kEntryTextBytes) text = std::string(Utf8Prefix(text, kEntryTextBytes)) + "…";
  return text;
}

Page RenderFeed(const PageContext& ctx, ctemplate::TemplateDictionary& dict) {
  Page page;
  page.content_type = "application/atom+xml; charset=utf-8";
  page.body = ctx.templates.Expand(ctx.lang, "feed.tpl", dict);
  return page;
}

}  // namespace

Result<Page> ListFeed(const PageContext& ctx, const std::string& forum, const std::string& list) {
  Result<ListInfo> info = ctx.store.List(forum, list);
  if (!info.ok()) return info.status();
  Result<std::vector<ThreadInfo>> threads = ctx.store.ListThreads(forum, list, {}, kEntries);
  if (!threads.ok()) return threads.status();
  ctemplate::TemplateDictionary dict("feed");
  dict.SetValue("LANG", ctx.lang);
  dict.SetValue("FEED_TITLE", XmlSafe(forum + " / " + list));
  dict.SetValue("FEED_ID", ctx.base_url + ListUrl(forum, list));
  dict.SetValue("SELF_URL", ctx.base_url + ListUrl(forum, list) + "feed.atom");
  dict.SetValue("HTML_URL", ctx.base_url + ListUrl(forum, list));
  dict.SetValue("UPDATED", IsoDate(std::max<std::int64_t>(info.value().last_date, 1)));
  for (const ThreadInfo& t : threads.value()) {
    ctemplate::TemplateDictionary* entry = dict.AddSectionDictionary("ENTRY");
    entry->SetValue("TITLE", XmlSafe(SubjectOrPlaceholder(ctx, t.subject)));
    entry->SetValue("ID", ctx.base_url + ThreadUrl(t.id));
    entry->SetValue("URL", ctx.base_url + ThreadUrl(t.id));
    entry->SetValue("DATE", IsoDate(std::max<std::int64_t>(t.last_date, 1)));
    entry->SetValue("AUTHOR", XmlSafe(AuthorName(t.started_by, "")));
    entry->SetValue("TEXT", XmlSafe(ctx.TN("{n} message", "{n} messages", t.messages)));
  }
  return RenderFeed(ctx, dict);
}

Result<Page> ThreadFeed(const PageContext& ctx, std::int64_t thread_id) {
  Result<ThreadInfo> info = ctx.store.ThreadSummary(thread_id);
  if (!info.ok()) return info.status();
  Result<std::vector<MessageView>> messages = ctx.store.ThreadMessages(thread_id, false);
  if (!messages.ok()) return messages.status();
  std::vector<MessageView>& all = messages.value();
  std::sort(all.begin(), all.end(), [](const MessageView& a, const MessageView& b) { return a.date > b.date; });
  if (all.size() > static_cast<std::size_t>(kEntries)) all.resize(kEntries);
  ctemplate::TemplateDictionary dict("feed");
  dict.SetValue("LANG", ctx.lang);
  dict.SetValue("FEED_TITLE", XmlSafe(info.value().subject));
  dict.SetValue("FEED_ID", ctx.base_url + ThreadUrl(thread_id));
  dict.SetValue("SELF_URL", ctx.base_url + ThreadUrl(thread_id) + "/feed.atom");
  dict.SetValue("HTML_URL", ctx.base_url + ThreadUrl(thread_id));
  dict.SetValue("UPDATED", IsoDate(std::max<std::int64_t>(info.value().last_date, 1)));
  for (const MessageView& listed : all) {
    Result<MessageView> full = ctx.store.Message(listed.id);  // bodies of the newest only
    if (!full.ok()) return full.status();
    const MessageView& m = full.value();
    ctemplate::TemplateDictionary* entry = dict.AddSectionDictionary("ENTRY");
    entry->SetValue("TITLE", XmlSafe(SubjectOrPlaceholder(ctx, m.subject)));
    entry->SetValue("ID", ctx.base_url + MessageUrl(m.id));
    entry->SetValue("URL", ctx.base_url + MessageUrl(m.id));
    entry->SetValue("DATE", IsoDate(std::max<std::int64_t>(m.date, 1)));
    entry->SetValue("AUTHOR", XmlSafe(AuthorName(m.from_name, m.from_address)));
    entry->SetValue("TEXT", XmlSafe(OwnText(m)));
  }
  return RenderFeed(ctx, dict);
}

}  // namespace rt
