// Moderation on the web: the queue of held posts for a forum's moderators and
// secretariat, and the public log of every decision.

#include <ctime>

#include "gateway/intake.h"
#include "mime/mime_parser.h"
#include "people/address.h"
#include "web/display.h"
#include "web/form_page.h"

namespace rt {

namespace {

constexpr std::size_t kPreviewBytes = 4000;
constexpr int kLogPage = 50;

bool ModeratesSomething(const UserInfo& user, const std::string& forum) {
  for (const RoleGrant& r : user.roles)
    if (r.forum == forum) return true;
  return false;
}

std::string Preview(const HeldMessage& held) {
  ParsedMessage parsed;
  if (!ParseMimeMessage(held.raw, &parsed).ok()) return held.raw.substr(0, kPreviewBytes);
  std::string text = parsed.body_text.substr(0, kPreviewBytes);
  if (parsed.body_text.size() > kPreviewBytes) text += "\n…";
  return text;
}

// Carries out one decision; the held post leaves the queue and the log says why.
Status Decide(const PageContext& ctx, const HeldMessage& held, const std::string& decision, const std::string& reason) {
  const UserInfo& moderator = *ctx.user();
  ModerationEntry entry;
  entry.forum = held.forum;
  entry.list = held.list;
  entry.reason = reason;
  if (decision == "approve") {
    thread_local MessageProcessor processor;
    Result<NewPost> post = ApprovedPost(processor, held);
    if (!post.ok()) return post.status();
    std::vector<NewPost> posts;
    posts.push_back(std::move(post.value()));
    // Stored before the held copy goes: a crash in between leaves a post a second
    // approval finds already archived (a duplicate, sent to no one twice).
    Result<std::vector<PostOutcome>> stored = ctx.store.Post(posts);
    if (!stored.ok()) return stored.status();
    entry.action = "approve";
  } else if (decision == "reject") {
    entry.action = "reject";
    Status s = QueueNoticeMail(ctx.store, ctx.site->mail,
                               {held.sender, "Re: " + held.subject,
                                FillPlaceholder(ctx.T("A moderator of {list} did not approve your post."), "{list}",
                                                held.list) +
                                    (reason.empty() ? std::string() : "\n\n" + ctx.T("Reason:") + " " + reason) + "\n",
                                "", ""});
    if (!s.ok()) return s;
  } else if (decision == "spam") {
    entry.action = "reject-spam";  // nothing of the post is kept or answered
  } else {
    return Status::InvalidArgument("unknown decision \"" + decision + "\"");
  }
  if (entry.action != "reject-spam") {
    entry.subject = held.subject;
    entry.author = held.sender;
  }
  return ctx.store.ReleaseHeld(held.id, entry, moderator.id);
}

}  // namespace

Result<Page> ModerationQueuePage(const PageContext& ctx, const std::string& forum) {
  Result<ForumInfo> info = ctx.store.Forum(forum);
  if (!info.ok()) return info.status();
  const UserInfo* user = ctx.user();
  if (!user) return SeeOther("/signin?back=" + EncodeQueryValue(ctx.url.encoded_path));
  if (!ModeratesSomething(*user, forum)) return Status::NotFound(ctx.T("Only this forum's moderators can see its queue."));
  if (ctx.form) {
    std::optional<std::int64_t> id = ParseInt(ctx.form->Get("held"));
    if (!id) return Status::InvalidArgument("no held post named");
    Result<HeldMessage> held = ctx.store.FindHeld(*id);
    if (!held.ok()) return held.status();
    if (held.value().forum != forum || !CanModerate(*user, forum, held.value().list))
      return Status::NotFound(ctx.T("Only this list's moderators can decide on its posts."));
    std::string reason = ctx.form->Get("reason");
    if (reason.size() > kMaxModerationReasonBytes) return Status::InvalidArgument(ctx.T("A reason is limited to 500 characters."));
    Status s = Decide(ctx, held.value(), ctx.form->Get("decision"), reason);
    if (!s.ok()) return s;
    return SeeOther(ForumUrl(forum) + "moderation");
  }
  Result<std::vector<HeldMessage>> held = ctx.store.HeldMessages(forum, "");
  if (!held.ok()) return held.status();
  PageDictionary page;
  std::string title = FillPlaceholder(ctx.T("Held posts in {forum}"), "{forum}", forum);
  StartPage(ctx, title, &page);
  page.CrumbsTo(ctx, forum);
  page.dict.SetValue("HEADING", title);
  page.dict.SetValue("LOG_URL", ForumUrl(forum) + "log");
  std::string csrf = CsrfToken(*ctx.visitor, ctx.site->signing_key);
  int shown = 0;
  for (const HeldMessage& h : held.value()) {
    if (!CanModerate(*user, forum, h.list)) continue;
    ctemplate::TemplateDictionary* d = page.dict.AddSectionDictionary("HELD");
    d->SetIntValue("ID", h.id);
    d->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, h.subject));
    d->SetValue("SENDER", h.sender);
    d->SetValue("LIST", h.list);
    d->SetValue("DATE", DisplayDate(h.received_at));
    d->SetValue("DATE_ISO", IsoDate(h.received_at));
    d->SetValue("SOURCE", h.source == "web" ? ctx.T("posted on the web") : ctx.T("sent by mail"));
    d->SetValue("REASON", h.reason);
    d->SetValue("PREVIEW", Preview(h));
    d->SetValue("ACTION", ForumUrl(forum) + "moderation");
    d->SetValue("CSRF", csrf);
    ++shown;
  }
  if (shown == 0) page.dict.ShowSection("EMPTY");
  Page out = RenderPage(ctx, "moderation_queue.tpl", page);
  out.cacheable = false;
  return out;
}

Result<Page> ModerationLogPage(const PageContext& ctx, const std::string& forum) {
  Result<ForumInfo> info = ctx.store.Forum(forum);
  if (!info.ok()) return info.status();
  std::int64_t before = ctx.url.IntParam("before", 0);
  Result<std::vector<ModerationEntry>> entries = ctx.store.ModerationLog(forum, before, kLogPage);
  if (!entries.ok()) return entries.status();
  PageDictionary page;
  std::string title = FillPlaceholder(ctx.T("Moderation log of {forum}"), "{forum}", forum);
  StartPage(ctx, title, &page);
  page.CrumbsTo(ctx, forum);
  page.dict.SetValue("HEADING", title);
  if (entries.value().empty()) page.dict.ShowSection("EMPTY");
  else page.dict.ShowSection("ENTRIES");
  for (const ModerationEntry& e : entries.value()) {
    ctemplate::TemplateDictionary* d = page.dict.AddSectionDictionary("ENTRY");
    d->SetValue("DATE", DisplayDate(e.at));
    d->SetValue("DATE_ISO", IsoDate(e.at));
    d->SetValue("MODERATOR", e.moderator.empty() ? ctx.T("the system") : e.moderator);
    d->SetValue("ACTION", e.action == "approve"       ? ctx.T("approved")
                          : e.action == "reject"      ? ctx.T("rejected")
                          : e.action == "reject-spam" ? ctx.T("rejected as spam")
                          : e.action == "edit"        ? ctx.T("edited")
                                                      : e.action);
    std::string about = e.subject.empty() && e.author.empty() ? "" : e.subject + " (" + MaskAddresses(e.author) + ")";
    d->SetValue("ABOUT", e.list.empty() ? about : e.list + ": " + about);
    d->SetValue("REASON", e.reason);
  }
  if (static_cast<int>(entries.value().size()) == kLogPage)
    page.dict.SetValueAndShowSection("URL", ForumUrl(forum) + "log?before=" + std::to_string(entries.value().back().id),
                                     "OLDER");
  Page out = RenderPage(ctx, "moderation_log.tpl", page);
  return out;
}

}  // namespace rt
