#pragma once
// Participation pages are mostly forms: each describes its forms as plain data and
// form.tpl draws them, labelled and accessible, with the visitor's CSRF token.

#include <string>
#include <utility>
#include <vector>

#include "web/pages.h"

namespace rt {

struct FormField {
  FormField(std::string name, std::string label, std::string type = "text")
      : name(std::move(name)), label(std::move(label)), type(std::move(type)) {}
  FormField& Value(std::string v) { value = std::move(v); return *this; }
  FormField& Help(std::string v) { help = std::move(v); return *this; }
  FormField& Autocomplete(std::string v) { autocomplete = std::move(v); return *this; }
  FormField& Accept(std::string v) { accept = std::move(v); return *this; }
  FormField& Options(std::vector<std::pair<std::string, std::string>> v) { options = std::move(v); return *this; }
  FormField& Required() { required = true; return *this; }
  FormField& Multiple() { multiple = true; return *this; }

  std::string name, label;
  std::string type;           ///< input types, or "textarea", "select", "checkbox"
  std::string value;          ///< "1" checks a checkbox
  std::string help;
  std::string autocomplete;
  std::string accept;         ///< for "file": accepted types
  bool required = false;
  bool multiple = false;
  std::vector<std::pair<std::string, std::string>> options;  ///< select: value, text
};

struct FormSpec {
  std::string heading, intro;
  std::string action;  ///< where it posts
  std::string submit;  ///< the button's text
  std::vector<FormField> fields;
  std::vector<std::pair<std::string, std::string>> hidden;
  bool multipart = false;
  bool danger = false;  ///< drawn as a destructive action
};

struct FormPageSpec {
  std::string title;
  std::string intro, error, notice;
  std::string quoted;  ///< text shown above the form (the message replied to)
  std::vector<FormSpec> forms;
  std::vector<std::pair<std::string, std::string>> links;  ///< text, URL
  int status = 200;
};

/// The page, never cached (it carries the visitor's token); sends the visitor's new
/// CSRF cookie when it has one.
Page RenderFormPage(const PageContext& ctx, const FormPageSpec& spec);

/// The one-time token of a mailed link: ?t= on the link, the hidden field "t" once its
/// button is pressed.
std::string LinkToken(const PageContext& ctx);

/// A page whose one button POSTs the link's token to `action`: a mail scanner that opens
/// the link acts on nothing.
Page ConfirmButtonPage(const PageContext& ctx, std::string title, std::string action, std::string submit);

/// The stakeholder groups as select options, in the reader's language.
std::vector<std::pair<std::string, std::string>> GroupOptions(const PageContext& ctx);

}  // namespace rt
