// Posting on the web: a new thread or a reply, written in Markdown, becomes a proper
// RFC 5322 message (Message-ID, References, List-Id) that takes the same way into the
// list as mail does (gateway/intake.h): stored and sent, or held for a moderator.

#include <ctime>

#include "gateway/held_notices.h"
#include "gateway/intake.h"
#include "gateway/list_addresses.h"
#include "mime/compose.h"
#include "people/address.h"
#include "web/attachment_types.h"
#include "web/display.h"
#include "web/form_page.h"
#include "web/markdown.h"

namespace rt {

namespace {

constexpr std::size_t kMaxSubjectBytes = 300;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kMaxAttachments = 5;
constexpr std::size_t kMaxAttachmentBytes = 10 * 1024 * 1024;  // all of them together

Result<std::vector<OutgoingAttachment>> Attachments(const PageContext& ctx) {
  std::vector<OutgoingAttachment> out;
  std::size_t total = 0;
  for (const FormFile& file : ctx.form->files) {
    if (file.field != "attachment" || (file.filename.empty() && file.data.empty())) continue;
    if (out.size() == kMaxAttachments) return Status::InvalidArgument(ctx.T("At most 5 attachments."));
    std::string type = file.content_type.substr(0, file.content_type.find(';'));
    if (!IsAllowedAttachmentType(type))
      return Status::InvalidArgument(FillPlaceholder(
          ctx.T("{name}: this type of file cannot be attached (PDF, text, images and office documents can)."), "{name}",
          file.filename));
    if (!ContentMatchesType(type, file.data))
      return Status::InvalidArgument(
          FillPlaceholder(ctx.T("{name}: the file's content is not what its name says it is."), "{name}", file.filename));
    total += file.data.size();
    if (total > kMaxAttachmentBytes) return Status::InvalidArgument(ctx.T("Attachments are limited to 10 MB in all."));
    out.push_back({file.filename.empty() ? "attachment" : file.filename, type, file.data});
  }
  return out;
}

struct Draft {
  std::string subject, body;
  std::vector<std::string> references;  ///< of the parent, then the parent itself
};

// Composes the post, takes it in like mail, writes it. The redirect to the new message,
// or to a page that says it waits for a moderator.
Result<Page> Submit(const PageContext& ctx, const ListInfo& list, const Draft& draft) {
  const UserInfo& user = *ctx.user();
  Result<std::vector<OutgoingAttachment>> attachments = Attachments(ctx);
  if (!attachments.ok()) return attachments.status();
  OutgoingMessage m;
  m.from_name = user.display_name;
  m.from_address = user.email;
  m.to = {ListPostingAddress(list, ctx.site->mail)};
  m.subject = draft.subject;
  m.message_id = NewMessageId(ctx.site->mail.domain);
  m.references = draft.references;
  m.date = static_cast<std::int64_t>(std::time(nullptr));
  m.extra_headers = {{"List-Id", ListIdHeader(list, ctx.site->mail)}, {"X-Roundtable-Format", "markdown"}};
  m.text = draft.body;
  m.attachments = std::move(attachments.value());
  Result<std::string> raw = ComposeMessage(m);
  if (!raw.ok()) return raw.status();
  thread_local MessageProcessor processor;
  Submission submission{std::move(raw.value()), SourceFormat::kWeb, list, user};
  Result<Intake> intake = TakeIn(ctx.store, processor, std::move(submission), ctx.site->policy, m.date);
  if (!intake.ok()) return intake.status();
  if (NewPost* post = std::get_if<NewPost>(&intake.value())) {
    std::vector<NewPost> posts;
    posts.push_back(std::move(*post));
    Result<std::vector<PostOutcome>> outcome = ctx.store.Post(posts);
    if (!outcome.ok()) return outcome.status();
    const PostOutcome& o = outcome.value().front();
    return SeeOther(ThreadUrl(o.thread) + "#m" + std::to_string(o.message));
  }
  const HeldMessage& held_post = std::get<HeldMessage>(intake.value());
  Result<std::vector<std::int64_t>> held = ctx.store.Hold({held_post});
  if (!held.ok()) return held.status();
  Status notified = QueueHeldNotices(ctx.store, ctx.site->mail, held_post, true);
  if (!notified.ok()) return notified;
  FormPageSpec spec;
  spec.title = ctx.T("Your post waits for a moderator");
  spec.notice = FillPlaceholder(ctx.T("A moderator will look at it soon ({reason}). It appears in the archive and goes "
                                      "out by mail once approved."),
                                "{reason}", std::get<HeldMessage>(intake.value()).reason);
  spec.links = {{ctx.T("Back to the list"), ListUrl(list.forum, list.name)}};
  return RenderFormPage(ctx, spec);
}

// The checks every post passes before it is composed; a message for the form, or "".
std::string DraftProblem(const PageContext& ctx, const Draft& draft) {
  if (draft.subject.empty() || draft.subject.size() > kMaxSubjectBytes) return ctx.T("Write a subject (300 characters at most).");
  if (draft.body.find_first_not_of(" \t\r\n") == std::string::npos) return ctx.T("Write a message.");
  if (draft.body.size() > kMaxBodyBytes) return ctx.T("A message is limited to 64 KB of text.");
  return "";
}

FormSpec PostForm(const PageContext& ctx, std::string action, const Draft& draft) {
  FormSpec form;
  form.action = std::move(action);
  form.submit = ctx.T("Post");
  form.multipart = true;
  form.fields = {
      FormField("subject", ctx.T("Subject")).Value(draft.subject).Required(),
      FormField("body", ctx.T("Message"), "textarea")
          .Value(draft.body)
          .Help(ctx.T("Markdown: *emphasis*, **strong**, [links](https://example.org), > quotes, lists."))
          .Required(),
      FormField("attachment", ctx.T("Attachments"), "file")
          .Help(ctx.T("Up to 5 files, 10 MB in all: PDF, text, images, office documents."))
          .Accept(AttachmentAcceptList())
          .Multiple(),
  };
  return form;
}

// A new thread's or reply's page: on POST, checks the draft and submits it; otherwise,
// or when it is refused, shows the form with the draft.
Result<Page> DraftPage(const PageContext& ctx, const ListInfo& list, const Draft& draft, FormPageSpec spec,
                       std::string action) {
  if (ctx.form) {
    spec.error = DraftProblem(ctx, draft);
    if (spec.error.empty()) {
      Result<Page> done = Submit(ctx, list, draft);
      if (done.ok() || done.status().code() != Status::Code::kInvalidArgument) return done;
      spec.error = done.status().message();
    }
    spec.status = 400;
  }
  spec.forms.push_back(PostForm(ctx, std::move(action), draft));
  return RenderFormPage(ctx, spec);
}

// Posting needs a confirmed account; anyone else is sent to sign in and comes back.
std::optional<Page> RequireAccount(const PageContext& ctx) {
  if (!ctx.user()) return SeeOther("/signin?back=" + EncodeQueryValue(ctx.url.encoded_path));
  return std::nullopt;
}

}  // namespace

Result<Page> NewThreadPage(const PageContext& ctx, const std::string& forum, const std::string& list_name) {
  Result<ListInfo> list = ctx.store.List(forum, list_name);
  if (!list.ok()) return list.status();
  if (std::optional<Page> away = RequireAccount(ctx)) return std::move(*away);
  Draft draft{ctx.form ? ctx.form->Get("subject") : "", ctx.form ? ctx.form->Get("body") : "", {}};
  FormPageSpec spec;
  spec.title = FillPlaceholder(ctx.T("New thread in {list}"), "{list}", list_name);
  return DraftPage(ctx, list.value(), draft, std::move(spec), ListUrl(forum, list_name) + "post");
}

Result<Page> ReplyPage(const PageContext& ctx, std::int64_t message_id) {
  Result<MessageView> parent = ctx.store.Message(message_id);
  if (!parent.ok()) return parent.status();
  if (std::optional<Page> away = RequireAccount(ctx)) return std::move(*away);
  const MessageView& p = parent.value();
  Result<ListInfo> list = ctx.store.List(p.forum, p.list);
  if (!list.ok()) return list.status();
  Draft draft;
  draft.references = p.references;
  if (!p.message_id.empty()) draft.references.push_back(p.message_id);
  std::string subject = p.subject.rfind("Re:", 0) == 0 || p.subject.rfind("RE:", 0) == 0 ? p.subject : "Re: " + p.subject;
  draft.subject = ctx.form ? ctx.form->Get("subject") : subject;
  draft.body = ctx.form ? ctx.form->Get("body")
                        // Addresses stay masked, as everywhere on the site.
                        : QuoteForReply(p.from_name, MaskAddresses(p.body_text));
  FormPageSpec spec;
  spec.title = FillPlaceholder(ctx.T("Reply to {author}"), "{author}", p.from_name.empty() ? ctx.T("a message") : p.from_name);
  spec.links = {{ctx.T("Back to the thread"), ThreadUrl(p.thread_id) + "#m" + std::to_string(p.id)}};
  return DraftPage(ctx, list.value(), draft, std::move(spec), MessageUrl(message_id) + "/reply");
}

Result<Page> EditMessagePage(const PageContext& ctx, std::int64_t message_id) {
  Result<MessageView> message = ctx.store.Message(message_id);
  if (!message.ok()) return message.status();
  if (std::optional<Page> away = RequireAccount(ctx)) return std::move(*away);
  const MessageView& m = message.value();
  if (!CanEdit(*ctx.user(), m)) return Status::NotFound(ctx.T("Only its author or a moderator can edit this post."));
  Draft draft{ctx.form ? ctx.form->Get("subject") : m.subject, ctx.form ? ctx.form->Get("body") : m.body_text, {}};
  // A moderator changing someone else's words says so in the public log.
  bool moderating = !WroteOnTheWeb(*ctx.user(), m);
  std::string reason = ctx.form ? ctx.form->Get("reason") : "";
  FormPageSpec spec;
  spec.title = moderating ? ctx.T("Edit this post as a moderator") : ctx.T("Edit your post");
  spec.intro = ctx.T("Earlier versions stay visible in the post's history. Mail already sent is not changed.");
  if (ctx.form) {
    spec.error = DraftProblem(ctx, draft);
    if (spec.error.empty() && reason.size() > kMaxModerationReasonBytes)
      spec.error = ctx.T("A reason is limited to 500 characters.");
    if (spec.error.empty()) {
      thread_local MessageProcessor processor;
      ParsedMessage previous, edited;
      previous.subject = m.subject;
      previous.body_text = m.body_text;
      edited.subject = draft.subject;
      edited.body_text = draft.body;
      processor.Analyze(&previous);
      processor.Analyze(&edited);
      ModerationEntry logged;
      logged.forum = m.forum;
      logged.list = m.list;
      logged.action = "edit";
      logged.subject = m.subject;
      logged.author = m.from_address;
      logged.reason = reason;
      Status s = ctx.store.EditMessage(message_id, ctx.user()->id, previous, edited, moderating ? &logged : nullptr);
      if (!s.ok()) return s;
      return SeeOther(ThreadUrl(m.thread_id) + "#m" + std::to_string(message_id));
    }
    spec.status = 400;
  }
  FormSpec form = PostForm(ctx, MessageUrl(message_id) + "/edit", draft);
  form.multipart = false;
  form.fields.pop_back();  // attachments stay as they were sent
  if (moderating)
    form.fields.push_back(FormField("reason", ctx.T("Reason, for the public moderation log")).Value(reason));
  form.submit = ctx.T("Save");
  spec.forms.push_back(std::move(form));
  spec.links = {{ctx.T("Back to the thread"), ThreadUrl(m.thread_id) + "#m" + std::to_string(message_id)}};
  return RenderFormPage(ctx, spec);
}

Result<Page> MessageHistoryPage(const PageContext& ctx, std::int64_t message_id) {
  Result<MessageView> message = ctx.store.Message(message_id);
  if (!message.ok()) return message.status();
  Result<std::vector<MessageVersion>> history = ctx.store.MessageHistory(message_id);
  if (!history.ok()) return history.status();
  const MessageView& m = message.value();
  PageDictionary page;
  std::string title = FillPlaceholder(ctx.T("History of “{subject}”"), "{subject}", SubjectOrPlaceholder(ctx, m.subject));
  StartPage(ctx, title, &page);
  page.CrumbsTo(ctx, m.forum, m.list);
  page.dict.SetValue("HEADING", title);
  page.dict.SetValue("MESSAGE_URL", ThreadUrl(m.thread_id) + "#m" + std::to_string(message_id));
  auto version = [&](const std::string& label, const std::string& subject, const std::string& body) {
    ctemplate::TemplateDictionary* d = page.dict.AddSectionDictionary("VERSION");
    d->SetValue("LABEL", label);
    d->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, subject));
    d->SetValue("BODY", RenderMarkdown(MaskAddresses(body)));
  };
  for (std::size_t i = 0; i < history.value().size(); ++i) {
    const MessageVersion& v = history.value()[i];
    std::string label = i == 0 ? ctx.T("As first posted") : FillPlaceholder(ctx.T("Version {n}"), "{n}", std::to_string(i + 1));
    std::string replaced = FillPlaceholder(FillPlaceholder(ctx.T("replaced {date} by {editor}"), "{date}", DisplayDate(v.edited_at)),
                                           "{editor}", v.editor.empty() ? ctx.T("a closed account") : v.editor);
    version(label + " · " + replaced, v.subject, v.body_text);
  }
  version(ctx.T("Current version"), m.subject, m.body_text);
  return RenderPage(ctx, "history.tpl", page);
}

}  // namespace rt
