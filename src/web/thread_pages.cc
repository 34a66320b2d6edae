// A thread, one message (the permalink), its raw bytes and its attachments.

#include <algorithm>

#include <cctype>
#include <tuple>

#include "people/address.h"
#include "util/html_escape.h"
#include "web/body_html.h"
#include "web/display.h"
#include "web/markdown.h"
#include "web/pages.h"
#include "web/reply_link.h"

namespace rt {

namespace {

// Messages per page of a thread: keeps even long debates light on slow connections.
constexpr std::size_t kMessagesPerPage = 25;
// Folded quotes on a thread page are cut here; the permalink shows them whole.
constexpr std::size_t kFoldedBytesInThread = 3000;
// Nesting deeper than this is drawn at this depth.
constexpr int kMaxShownDepth = 9;

std::string BracketedRefs(const std::vector<std::string>& refs) {
  std::string out;
  for (const std::string& r : refs) out += (out.empty() ? "<" : " <") + r + ">";
  return out;
}

void FillMessage(const PageContext& ctx, const MessageView& m, const std::string& list_address, bool nested,
                 bool in_thread, std::size_t max_folded, ctemplate::TemplateDictionary* item) {
  item->SetIntValue("ID", m.id);
  if (nested) {
    item->ShowSection("NESTED");
    item->SetIntValue("DEPTH", std::min(m.depth, kMaxShownDepth));
  }
  std::string author = AuthorName(m.from_name, m.from_address);
  if (author.empty()) author = ctx.T("(unknown sender)");
  item->SetValue("AUTHOR", author);
  if (m.person_id) {
    item->ShowSection("PERSON");
    item->SetValue("PERSON_URL", PersonUrl(m.person_id));
  } else {
    item->ShowSection("NO_PERSON");
  }
  if (m.stakeholder_group != "unknown" && !m.stakeholder_group.empty()) {
    ctemplate::TemplateDictionary* group = item->AddSectionDictionary("GROUP");
    group->SetValue("GROUP_KEY", m.stakeholder_group);
    group->SetValue("GROUP_NAME", GroupName(ctx, m.stakeholder_group) +
                                      (m.affiliation.empty() ? "" : " · " + m.affiliation));
    if (m.group_verified) group->SetValueAndShowSection("VERIFIED", ctx.T("verified"), "GROUP_VERIFIED");
  }
  item->SetValue("PERMALINK", MessageUrl(m.id));
  item->SetValue("DATE", DisplayDate(m.date));
  item->SetValue("DATE_ISO", IsoDate(m.date));
  if (in_thread && m.parent_id != 0) {
    item->ShowSection("SHOW_SUBJECT");
    item->SetValue("SUBJECT", m.subject);
  }
  BodyLabels labels{ctx.T("Quoted text"), ctx.T("Signature"), ctx.T("List footer"), ctx.T("… (shortened: see the message)")};
  // Written here: the author's Markdown, rendered and sanitized. Mail: its derived text.
  item->SetValue("BODY", m.source_format == "web" ? RenderMarkdown(MaskAddresses(m.body_text))
                                                  : RenderBodyHtml(MaskAddresses(m.body_text), m.structure, labels,
                                                                   max_folded));
  if (!m.attachments.empty()) {
    ctemplate::TemplateDictionary* list = item->AddSectionDictionary("ATTACHMENTS");
    for (const AttachmentInfo& a : m.attachments) {
      ctemplate::TemplateDictionary* row = list->AddSectionDictionary("ATTACHMENT");
      std::string name = a.filename.empty() ? ctx.T("attachment") + "-" + std::to_string(a.position) : a.filename;
      row->SetValue("URL", MessageUrl(m.id) + "/attachments/" + std::to_string(a.position) + "/" + EncodeSegment(name));
      row->SetValue("NAME", name);
      row->SetValue("TYPE", a.content_type);
      row->SetValue("SIZE", ByteSize(a.size));
    }
  }
  // Escaped here and inserted with :none: ctemplate's URL check lets only http(s) and
  // relative URLs through, and the scheme is our literal "mailto:".
  item->SetValue("WEB_REPLY_URL", MessageUrl(m.id) + "/reply");
  if (m.edits > 0) item->SetValueAndShowSection("HISTORY_URL", MessageUrl(m.id) + "/history", "EDITED");
  // Only on pages for a signed-in visitor, which are never shared from the cache.
  if (const UserInfo* user = ctx.user(); user && CanEdit(*user, m))
    item->SetValueAndShowSection("EDIT_URL", MessageUrl(m.id) + "/edit", "EDIT");
  item->SetValue("REPLY_URL", HtmlEscape(ReplyMailto(list_address, m.subject, m.message_id, BracketedRefs(m.references))));
  item->SetValue("RAW_URL", MessageUrl(m.id) + "/raw");
  if (!in_thread) {
    item->ShowSection("IN_THREAD");
    item->SetValue("THREAD_URL", ThreadUrl(m.thread_id) + "#m" + std::to_string(m.id));
  }
}

std::string ListAddressOf(const PageContext& ctx, std::int64_t message_id) {
  Result<std::string> raw = ctx.store.RawMessage(message_id);
  return raw.ok() ? ListPostAddress(raw.value()) : "";
}

}  // namespace

Result<Page> ThreadPage(const PageContext& ctx, std::int64_t thread_id) {
  Result<ThreadInfo> info = ctx.store.ThreadSummary(thread_id);
  if (!info.ok()) return info.status();
  // The order needs every message; bodies are read for this page's only.
  Result<std::vector<MessageView>> messages = ctx.store.ThreadMessages(thread_id, false);
  if (!messages.ok()) return messages.status();
  bool nested = ctx.url.Param("view") == "nested";
  std::vector<MessageView>& all = messages.value();
  if (!nested)
    std::stable_sort(all.begin(), all.end(),
                     [](const MessageView& a, const MessageView& b) { return std::tie(a.date, a.id) < std::tie(b.date, b.id); });
  std::size_t pages = std::max<std::size_t>(1, (all.size() + kMessagesPerPage - 1) / kMessagesPerPage);
  std::size_t page_number = static_cast<std::size_t>(std::clamp<std::int64_t>(ctx.url.IntParam("page", 1), 1, pages));
  std::string list_address = ListAddressOf(ctx, all.front().id);

  const ThreadInfo& t = info.value();
  std::string subject = SubjectOrPlaceholder(ctx, t.subject);
  PageDictionary page;
  StartPage(ctx, subject, &page);
  page.CrumbsTo(ctx, t.forum, t.list);
  std::string feed = ThreadUrl(thread_id) + "/feed.atom";
  page.Feed(subject, feed);
  page.dict.SetValue("SUBJECT", subject);
  page.dict.SetValue("FEED_URL", feed);
  page.dict.SetValue("SUMMARY", ctx.TN("{n} message", "{n} messages", t.messages) + " · " +
                                    ctx.TN("{n} participant", "{n} participants", t.participants) + " · " +
                                    DisplayDate(t.first_date) + " – " + DisplayDate(t.last_date));
  page.dict.SetValue("FLAT_URL", ThreadUrl(thread_id));
  page.dict.SetValue("NESTED_URL", ThreadUrl(thread_id) + "?view=nested");
  page.dict.ShowSection(nested ? "NESTED_VIEW" : "FLAT");
  std::size_t begin = (page_number - 1) * kMessagesPerPage, end = std::min(all.size(), begin + kMessagesPerPage);
  for (std::size_t i = begin; i < end; ++i) {
    Result<MessageView> full = ctx.store.Message(all[i].id);
    if (!full.ok()) return full.status();
    full.value().depth = all[i].depth;
    ctemplate::TemplateDictionary* item = Include(ctx, page.dict.AddSectionDictionary("MESSAGE"), "ITEM", "message_item.tpl");
    FillMessage(ctx, full.value(), list_address, nested, true, kFoldedBytesInThread, item);
  }
  if (pages > 1) {
    ctemplate::TemplateDictionary* pager = page.dict.AddSectionDictionary("PAGER");
    pager->SetValue("PAGE_OF", FillPlaceholder(FillPlaceholder(ctx.T("Page {n} of {m}"), "{n}", std::to_string(page_number)),
                                               "{m}", std::to_string(pages)));
    std::string base = ThreadUrl(thread_id) + (nested ? "?view=nested&page=" : "?page=");
    if (page_number > 1) pager->AddSectionDictionary("PREV")->SetValue("URL", base + std::to_string(page_number - 1));
    if (page_number < pages) pager->AddSectionDictionary("NEXT")->SetValue("URL", base + std::to_string(page_number + 1));
  }
  return RenderPage(ctx, "thread.tpl", page);
}

Result<Page> MessagePage(const PageContext& ctx, std::int64_t message_id) {
  Result<MessageView> m = ctx.store.Message(message_id);
  if (!m.ok()) return m.status();
  const MessageView& message = m.value();
  std::string subject = SubjectOrPlaceholder(ctx, message.subject);
  PageDictionary page;
  StartPage(ctx, subject, &page);
  page.CrumbsTo(ctx, message.forum, message.list);
  page.dict.SetValue("SUBJECT", subject);
  FillMessage(ctx, message, ListAddressOf(ctx, message_id), false, false, 0,
              Include(ctx, &page.dict, "ITEM", "message_item.tpl"));
  return RenderPage(ctx, "message.tpl", page);
}

Result<Page> RawMessagePage(const PageContext& ctx, std::int64_t message_id) {
  Result<std::string> raw = ctx.store.RawMessage(message_id);
  if (!raw.ok()) return raw.status();
  Page page;
  // Shown as text, never interpreted: the bytes are whatever the sender wrote.
  page.content_type = "text/plain; charset=utf-8";
  page.body = std::move(raw.value());
  page.cacheable = false;
  page.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'");
  // The record keeps every address; at least search engines need not spread them.
  page.headers.emplace_back("X-Robots-Tag", "noindex, nofollow");
  return page;
}

namespace {

// Content types a browser will not run; anything else is sent as opaque bytes.
std::string SafeContentType(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  type = type.substr(0, type.find(';'));
  static const char* kInert[] = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
                                 "text/plain", "text/csv", "application/zip", "application/msword",
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                 "application/vnd.oasis.opendocument.text", "application/vnd.ms-excel",
                                 "application/vnd.ms-powerpoint", "audio/mpeg", "video/mp4"};
  for (const char* inert : kInert)
    if (type == inert) return type.rfind("text/", 0) == 0 ? type + "; charset=utf-8" : type;
  return "application/octet-stream";
}

// filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266).
std::string ContentDisposition(const std::string& name) {
  std::string ascii;
  for (unsigned char c : name) ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
  if (ascii.empty()) ascii = "attachment";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + EncodeQueryValue(name);
}

}  // namespace

Result<Page> AttachmentDownload(const PageContext& ctx, std::int64_t message_id, int position) {
  Result<AttachmentData> a = ctx.store.Attachment(message_id, position);
  if (!a.ok()) return a.status();
  Page page;
  page.content_type = SafeContentType(a.value().content_type);
  page.body = std::move(a.value().data);
  page.cacheable = false;
  page.headers.emplace_back("Content-Disposition",
                            ContentDisposition(a.value().filename.empty() ? "attachment" : a.value().filename));
  page.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'");
  return page;
}

}  // namespace rt
