{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{HEADING}}</h1>
<p>{{MESSAGE}}</p>
<p><a href="/">[[Back to the forums]]</a></p>
{{>FOOTER}}
