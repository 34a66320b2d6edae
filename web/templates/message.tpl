{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{SUBJECT}}</h1>
{{>ITEM}}
{{>FOOTER}}
