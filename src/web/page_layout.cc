// What every page shares: the layout, URLs, cursors, labels.

#include <fmt/format.h>

#include "web/pages.h"

namespace rt {

std::string FillPlaceholder(std::string text, std::string_view placeholder, std::string_view value) {
  std::size_t at = text.find(placeholder);
  if (at != std::string::npos) text.replace(at, placeholder.size(), value);
  return text;
}

std::string PageContext::TN(std::string_view singular, std::string_view plural, std::int64_t n) const {
  return FillPlaceholder(catalogs.TranslatePlural(lang, singular, plural, n), "{n}", std::to_string(n));
}

int HttpStatusFor(const Status& error) {
  switch (error.code()) {
    case Status::Code::kNotFound: return 404;
    case Status::Code::kInvalidArgument:
    case Status::Code::kBadFormat: return 400;
    case Status::Code::kBusy: return 503;
    default: return 500;
  }
}

std::string FormatCursor(const Cursor& cursor) { return std::to_string(cursor.date) + "." + std::to_string(cursor.id); }

Cursor ParseCursor(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return {};
  std::optional<std::int64_t> date = ParseInt(text.substr(0, dot)), id = ParseInt(text.substr(dot + 1));
  if (!date || !id || *id <= 0) return {};
  return {*date, *id};
}

std::string ForumUrl(std::string_view forum) { return "/f/" + EncodeSegment(forum) + "/"; }
std::string ListUrl(std::string_view forum, std::string_view list) {
  return "/f/" + EncodeSegment(forum) + "/l/" + EncodeSegment(list) + "/";
}
std::string ThreadUrl(std::int64_t thread_id) { return "/t/" + std::to_string(thread_id); }
std::string MessageUrl(std::int64_t message_id) { return "/m/" + std::to_string(message_id); }
std::string PersonUrl(std::int64_t person_id) { return "/p/" + std::to_string(person_id); }

std::string GroupName(const PageContext& ctx, std::string_view group) {
  if (group == "government") return ctx.T("Government");
  if (group == "private-sector") return ctx.T("Private sector");
  if (group == "civil-society") return ctx.T("Civil society");
  if (group == "technical-community") return ctx.T("Technical community");
  if (group == "academia") return ctx.T("Academia");
  if (group == "intergovernmental") return ctx.T("Intergovernmental organisation");
  return ctx.T("Not declared");
}

std::string ByteSize(std::int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{} KB", (bytes + 1023) / 1024);
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

void PageDictionary::Crumb(std::string_view name, std::string_view url) {
  if (!crumbs) crumbs = header->AddSectionDictionary("CRUMBS");
  ctemplate::TemplateDictionary* crumb = crumbs->AddSectionDictionary("CRUMB");
  crumb->SetValue("NAME", std::string(name));
  crumb->SetValue("URL", std::string(url));
}

void PageDictionary::CrumbsTo(const PageContext& ctx, std::string_view forum, std::string_view list) {
  Crumb(ctx.T("Forums"), "/");
  Crumb(forum, ForumUrl(forum));
  if (!list.empty()) Crumb(list, ListUrl(forum, list));
}

std::string SubjectOrPlaceholder(const PageContext& ctx, const std::string& subject) {
  return subject.empty() ? ctx.T("(no subject)") : subject;
}

void PageDictionary::Feed(std::string_view title, std::string_view url) {
  ctemplate::TemplateDictionary* feed = header->AddSectionDictionary("FEED");
  feed->SetValue("FEED_TITLE", std::string(title));
  feed->SetValue("FEED_URL", std::string(url));
}

ctemplate::TemplateDictionary* Include(const PageContext& ctx, ctemplate::TemplateDictionary* dict, const char* marker,
                                       std::string_view name) {
  ctemplate::TemplateDictionary* included = dict->AddIncludeDictionary(marker);
  included->SetFilename(Templates::IncludeName(ctx.lang, name));
  return included;
}

void StartPage(const PageContext& ctx, std::string_view title, PageDictionary* page) {
  ctemplate::TemplateDictionary& d = page->dict;
  d.SetTemplateGlobalValue("LANG", ctx.lang);
  d.SetTemplateGlobalValue("DIR", std::string(ctx.catalogs.Direction(ctx.lang)));
  page->header = Include(ctx, &d, "HEADER", "header.tpl");
  page->header->SetValue("TITLE", std::string(title));
  page->header->SetValue("CSS_URL", ctx.assets.Url("style.css"));
  page->header->SetValue("JS_URL", ctx.assets.Url("app.js"));
  page->header->SetValue("QUERY", ctx.url.path == "/search" ? ctx.url.Param("q") : "");
  if (const UserInfo* user = ctx.user())
    page->header->SetValueAndShowSection("NAME", user->display_name.empty() ? user->email : user->display_name,
                                         "SIGNED_IN");
  else
    page->header->ShowSection("SIGNED_OUT");
  page->footer = Include(ctx, &d, "FOOTER", "footer.tpl");
  page->footer->SetValue("BACK", ctx.url.encoded_path);
  for (const std::string& lang : ctx.catalogs.Languages()) {
    ctemplate::TemplateDictionary* option = page->footer->AddSectionDictionary("LANGUAGE");
    option->SetValue("CODE", lang);
    option->SetValue("NAME", ctx.catalogs.NativeName(lang));
    if (lang == ctx.lang) option->ShowSection("SELECTED");
  }
}

Page RenderPage(const PageContext& ctx, std::string_view template_name, const PageDictionary& page) {
  Page out;
  out.body = ctx.templates.Expand(ctx.lang, template_name, page.dict);
  return out;
}

Page ErrorPage(const PageContext& ctx, const Status& error) {
  int status = HttpStatusFor(error);
  PageDictionary page;
  std::string heading = status == 404   ? ctx.T("Not found")
                         : status == 400 ? ctx.T("Bad request")
                         : status == 503 ? ctx.T("Busy, please retry")
                                         : ctx.T("Something went wrong");
  StartPage(ctx, heading, &page);
  page.dict.SetValue("HEADING", heading);
  // Internal errors may name files and SQL: readers get a generic explanation.
  page.dict.SetValue("MESSAGE", status >= 500   ? ctx.T("The server could not answer. Please try again later.")
                                : status == 404 ? ctx.T("There is nothing at this address: the link may be mistyped.")
                                                : error.message());
  Page out = RenderPage(ctx, "error.tpl", page);
  out.status = status;
  out.cacheable = false;
  return out;
}

}  // namespace rt

