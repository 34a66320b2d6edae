// The archive's front pages: the forums, one forum's lists, one list's threads.

#include <map>

#include "web/display.h"
#include "web/pages.h"

namespace rt {

namespace {

// Threads per page of a list.
constexpr int kThreadsPerPage = 50;

void FillLists(const PageContext& ctx, const std::vector<ListInfo>& lists, ctemplate::TemplateDictionary* dict) {
  ctemplate::TemplateDictionary* table = Include(ctx, dict, "LISTS", "lists.tpl");
  for (const ListInfo& l : lists) {
    ctemplate::TemplateDictionary* row = table->AddSectionDictionary("LIST");
    row->SetValue("LIST_URL", ListUrl(l.forum, l.name));
    row->SetValue("LIST_NAME", l.name);
    row->SetIntValue("THREADS", l.threads);
    row->SetIntValue("MESSAGES", l.messages);
    row->SetValue("LAST", DisplayDate(l.last_date));
    row->SetValue("LAST_ISO", IsoDate(l.last_date));
  }
}

std::string ForumSummary(const PageContext& ctx, const ForumInfo& f) {
  return ctx.TN("{n} list", "{n} lists", f.lists) + " · " + ctx.TN("{n} thread", "{n} threads", f.threads) + " · " +
         ctx.TN("{n} message", "{n} messages", f.messages);
}

}  // namespace

Result<Page> HomePage(const PageContext& ctx) {
  Result<std::vector<ForumInfo>> forums = ctx.store.Forums();
  if (!forums.ok()) return forums.status();
  PageDictionary page;
  StartPage(ctx, ctx.T("Forums"), &page);
  if (forums.value().empty()) page.dict.ShowSection("NO_FORUMS");
  for (const ForumInfo& f : forums.value()) {
    Result<std::vector<ListInfo>> lists = ctx.store.Lists(f.slug);
    if (!lists.ok()) return lists.status();
    ctemplate::TemplateDictionary* section = page.dict.AddSectionDictionary("FORUM");
    section->SetValue("FORUM_URL", ForumUrl(f.slug));
    section->SetValue("FORUM_NAME", f.name.empty() ? f.slug : f.name);
    section->SetValue("SUMMARY", ForumSummary(ctx, f));
    section->SetValue("STATS_URL", ForumUrl(f.slug) + "stats");
    FillLists(ctx, lists.value(), section);
  }
  return RenderPage(ctx, "home.tpl", page);
}

Result<Page> ForumPage(const PageContext& ctx, const std::string& forum) {
  Result<ForumInfo> f = ctx.store.Forum(forum);
  if (!f.ok()) return f.status();
  Result<std::vector<ListInfo>> lists = ctx.store.Lists(forum);
  if (!lists.ok()) return lists.status();
  std::string name = f.value().name.empty() ? forum : f.value().name;
  PageDictionary page;
  StartPage(ctx, name, &page);
  page.Crumb(ctx.T("Forums"), "/");
  page.dict.SetValue("FORUM_NAME", name);
  page.dict.SetValue("SUMMARY", ForumSummary(ctx, f.value()));
  page.dict.SetValue("STATS_URL", ForumUrl(forum) + "stats");
  page.dict.SetValue("LOG_URL", ForumUrl(forum) + "log");
  FillLists(ctx, lists.value(), &page.dict);
  return RenderPage(ctx, "forum.tpl", page);
}

Result<Page> ListPage(const PageContext& ctx, const std::string& forum, const std::string& list) {
  Result<ListInfo> info = ctx.store.List(forum, list);
  if (!info.ok()) return info.status();
  // One more than a page tells whether there is a next one.
  Result<std::vector<ThreadInfo>> threads =
      ctx.store.ListThreads(forum, list, ParseCursor(ctx.url.Param("after")), kThreadsPerPage + 1);
  if (!threads.ok()) return threads.status();
  bool more = threads.value().size() > static_cast<std::size_t>(kThreadsPerPage);
  if (more) threads.value().pop_back();

  PageDictionary page;
  StartPage(ctx, list, &page);
  page.CrumbsTo(ctx, forum);
  std::string feed = ListUrl(forum, list) + "feed.atom";
  page.Feed(list, feed);
  page.dict.SetValue("LIST_NAME", list);
  page.dict.SetValue("FEED_URL", feed);
  page.dict.SetValue("NEW_THREAD_URL", ListUrl(forum, list) + "post");
  // A signed-in reader (a personal page, never cached) chooses how the list reaches them.
  if (const UserInfo* user = ctx.user(); user && user->email_verified) {
    Result<Subscription> sub = ctx.store.FindSubscription(forum, list, user->email);
    std::string current = !sub.ok()                          ? "leave"
                          : sub.value().mode != "digest"     ? sub.value().mode
                          : sub.value().digest_format == "plain" ? "digest-plain"
                                                             : "digest";
    ctemplate::TemplateDictionary* form = page.dict.AddSectionDictionary("SUBSCRIPTION");
    form->SetValue("ACTION", ListUrl(forum, list) + "subscribe");
    form->SetValue("CSRF", CsrfToken(*ctx.visitor, ctx.site->signing_key));
    for (const auto& [value, text] : SubscriptionModes(ctx)) {
      ctemplate::TemplateDictionary* mode = form->AddSectionDictionary("MODE");
      mode->SetValue("VALUE", value);
      mode->SetValue("TEXT", text);
      if (value == current) mode->ShowSection("SELECTED");
    }
  }
  page.dict.SetValue("SUMMARY", ctx.TN("{n} thread", "{n} threads", info.value().threads) + " · " +
                                    ctx.TN("{n} message", "{n} messages", info.value().messages));
  if (threads.value().empty()) page.dict.ShowSection("NO_THREADS");
  std::string month;
  ctemplate::TemplateDictionary* section = nullptr;
  for (const ThreadInfo& t : threads.value()) {
    std::string m = MonthOfDate(t.last_date);
    if (!section || m != month) {
      month = m;
      section = page.dict.AddSectionDictionary("MONTH");
      section->SetValue("MONTH_NAME", m.empty() ? ctx.T("Undated") : m);
    }
    ctemplate::TemplateDictionary* row = section->AddSectionDictionary("THREAD");
    row->SetValue("THREAD_URL", ThreadUrl(t.id));
    row->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, t.subject));
    row->SetValue("STARTED_BY", AuthorName(t.started_by, ""));
    row->SetValue("REPLIES", ctx.TN("{n} reply", "{n} replies", t.messages - 1));
    row->SetValue("PARTICIPANTS", ctx.TN("{n} participant", "{n} participants", t.participants));
    row->SetValue("LAST", DisplayDate(t.last_date));
    row->SetValue("LAST_ISO", IsoDate(t.last_date));
  }
  if (more) {
    const ThreadInfo& last = threads.value().back();
    page.dict.ShowSection("MORE");
    page.dict.SetValue("NEXT_URL", ListUrl(forum, list) + "?after=" + FormatCursor({last.last_date, last.id}));
  }
  return RenderPage(ctx, "list.tpl", page);
}

}  // namespace rt
