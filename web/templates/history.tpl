{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{HEADING}}</h1>
<p class="meta"><a href="{{MESSAGE_URL}}">[[Back to the post]]</a></p>
{{#VERSION}}<section class="version">
<h2>{{LABEL}}</h2>
<p class="subject">{{SUBJECT}}</p>
<div class="body">{{BODY:none}}</div>
</section>
{{/VERSION}}{{>FOOTER}}
