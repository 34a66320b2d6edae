// A person: who they speak for, where they wrote, their messages.

#include "web/display.h"
#include "web/pages.h"

namespace rt {

namespace {

constexpr int kMessagesPerPage = 50;

}  // namespace

Result<Page> PersonPage(const PageContext& ctx, std::int64_t person_id) {
  Result<PersonInfo> person = ctx.store.Person(person_id);
  if (!person.ok()) return person.status();
  Result<std::vector<MessageSummary>> messages =
      ctx.store.PersonMessages(person_id, ParseCursor(ctx.url.Param("after")), kMessagesPerPage + 1);
  if (!messages.ok()) return messages.status();
  bool more = messages.value().size() > static_cast<std::size_t>(kMessagesPerPage);
  if (more) messages.value().pop_back();

  const PersonInfo& p = person.value();
  std::string name = AuthorName(p.display_name, p.addresses.empty() ? "" : p.addresses.front());
  if (name.empty()) name = ctx.T("(unknown sender)");
  PageDictionary page;
  StartPage(ctx, name, &page);
  page.Crumb(ctx.T("Forums"), "/");
  page.dict.SetValue("NAME", name);
  page.dict.SetValue("GROUP_NAME", GroupName(ctx, p.stakeholder_group));
  if (!p.affiliation.empty()) page.dict.SetValueAndShowSection("VALUE", p.affiliation, "AFFILIATION");
  for (const std::string& a : p.addresses) page.dict.AddSectionDictionary("ADDRESS")->SetValue("VALUE", ObfuscateAddress(a));
  page.dict.SetIntValue("MESSAGES", p.messages);
  if (p.first_date) {
    ctemplate::TemplateDictionary* span = page.dict.AddSectionDictionary("SPAN");
    span->SetValue("FIRST", DisplayDate(p.first_date).substr(0, 10));
    span->SetValue("LAST", DisplayDate(p.last_date).substr(0, 10));
  }
  for (const PersonInfo::ListCount& l : p.lists) {
    ctemplate::TemplateDictionary* row = page.dict.AddSectionDictionary("LIST");
    row->SetValue("URL", ListUrl(l.forum, l.list));
    row->SetValue("FORUM", l.forum);
    row->SetValue("NAME", l.list);
    row->SetValue("COUNT", ctx.TN("{n} message", "{n} messages", l.messages));
  }
  for (const MessageSummary& m : messages.value()) {
    ctemplate::TemplateDictionary* row = page.dict.AddSectionDictionary("MESSAGE");
    row->SetValue("URL", MessageUrl(m.id));
    row->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, m.subject));
    row->SetValue("LIST", m.list);
    row->SetValue("DATE", DisplayDate(m.date));
    row->SetValue("DATE_ISO", IsoDate(m.date));
  }
  if (more) {
    const MessageSummary& last = messages.value().back();
    page.dict.ShowSection("MORE");
    page.dict.SetValue("NEXT_URL", PersonUrl(person_id) + "?after=" + FormatCursor({last.date, last.id}));
  }
  return RenderPage(ctx, "person.tpl", page);
}

}  // namespace rt
