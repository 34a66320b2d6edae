#include "web/form_page.h"

#include "people/stakeholder_rules.h"

namespace rt {

namespace {

void Text(ctemplate::TemplateDictionary* d, const char* section, const std::string& text) {
  if (!text.empty()) d->AddSectionDictionary(section)->SetValue("TEXT", text);
}

void AddField(ctemplate::TemplateDictionary* form, const FormField& f, int form_index) {
  ctemplate::TemplateDictionary* field = form->AddSectionDictionary("FIELD");
  std::string id = "f" + std::to_string(form_index) + "-" + f.name;
  field->SetValue("ID", id);
  field->SetValue("NAME", f.name);
  field->SetValue("LABEL", f.label);
  if (f.type == "checkbox") {
    ctemplate::TemplateDictionary* box = field->AddSectionDictionary("CHECKBOX");
    if (f.value == "1") box->ShowSection("CHECKED");
    return;
  }
  ctemplate::TemplateDictionary* labelled = field->AddSectionDictionary("LABELLED");
  const char* kind = f.type == "textarea" ? "TEXTAREA" : f.type == "select" ? "SELECT" : "INPUT";
  ctemplate::TemplateDictionary* control = labelled->AddSectionDictionary(kind);
  control->SetValue("TYPE", f.type);
  control->SetValue("VALUE", f.value);
  if (f.required) control->ShowSection("REQUIRED");
  if (f.multiple) control->ShowSection("MULTIPLE");
  if (!f.autocomplete.empty()) control->SetValueAndShowSection("AUTO", f.autocomplete, "AUTOCOMPLETE");
  if (!f.accept.empty()) control->SetValueAndShowSection("TYPES", f.accept, "ACCEPT");
  if (!f.help.empty()) {
    control->ShowSection("DESCRIBED");
    field->AddSectionDictionary("HELP")->SetValue("TEXT", f.help);
  }
  for (const auto& [value, text] : f.options) {
    ctemplate::TemplateDictionary* option = control->AddSectionDictionary("OPTION");
    option->SetValue("VALUE", value);
    option->SetValue("TEXT", text);
    if (value == f.value) option->ShowSection("SELECTED");
  }
}

}  // namespace

Page RenderFormPage(const PageContext& ctx, const FormPageSpec& spec) {
  PageDictionary page;
  StartPage(ctx, spec.title, &page);
  page.dict.SetValue("HEADING", spec.title);
  Text(&page.dict, "INTRO", spec.intro);
  Text(&page.dict, "ERROR", spec.error);
  Text(&page.dict, "NOTICE", spec.notice);
  Text(&page.dict, "QUOTED", spec.quoted);
  std::string csrf = ctx.visitor && ctx.site ? CsrfToken(*ctx.visitor, ctx.site->signing_key) : "";
  int index = 0;
  for (const FormSpec& f : spec.forms) {
    ctemplate::TemplateDictionary* form = page.dict.AddSectionDictionary("FORM");
    form->SetValue("ACTION", f.action);
    form->SetValue("SUBMIT", f.submit);
    form->SetValue("CSRF", csrf);
    Text(form, "FORM_HEADING", f.heading);
    Text(form, "FORM_INTRO", f.intro);
    if (f.multipart) form->ShowSection("MULTIPART");
    if (f.danger) form->ShowSection("DANGER");
    for (const auto& [name, value] : f.hidden) {
      ctemplate::TemplateDictionary* hidden = form->AddSectionDictionary("HIDDEN");
      hidden->SetValue("NAME", name);
      hidden->SetValue("VALUE", value);
    }
    ++index;
    for (const FormField& field : f.fields) AddField(form, field, index);
  }
  for (const auto& [text, url] : spec.links) {
    ctemplate::TemplateDictionary* link = page.dict.AddSectionDictionary("LINK");
    link->SetValue("TEXT", text);
    link->SetValue("URL", url);
  }
  Page out = RenderPage(ctx, "form.tpl", page);
  out.status = spec.status;
  out.cacheable = false;
  if (ctx.visitor && !ctx.visitor->new_cookie.empty()) out.headers.emplace_back("Set-Cookie", ctx.visitor->new_cookie);
  return out;
}

std::string LinkToken(const PageContext& ctx) { return ctx.form ? ctx.form->Get("t") : ctx.url.Param("t"); }

Page ConfirmButtonPage(const PageContext& ctx, std::string title, std::string action, std::string submit) {
  FormPageSpec spec;
  spec.title = std::move(title);
  FormSpec form;
  form.action = std::move(action);
  form.submit = std::move(submit);
  form.hidden = {{"t", LinkToken(ctx)}};
  spec.forms.push_back(std::move(form));
  return RenderFormPage(ctx, spec);
}

std::vector<std::pair<std::string, std::string>> GroupOptions(const PageContext& ctx) {
  std::vector<std::pair<std::string, std::string>> options;
  for (std::string_view group : kStakeholderGroups)
    options.emplace_back(std::string(group), GroupName(ctx, group));
  options.emplace_back("other", ctx.T("Other"));
  return options;
}

}  // namespace rt
