<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS or Atom feed opened in a browser as a readable German page. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
    doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="home"
      select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <html lang="de">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
                 padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
          .hint { background: #eef4fb; border-left: 4px solid #1f5fa8; padding: .75rem 1rem; }
          article { border-bottom: 1px solid #ddd; padding: 1rem 0; }
          h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
          .meta { color: #555; font-size: .9rem; }
        </style>
      </head>
      <body>
        <p class="hint">Dies ist ein <strong>Feed</strong>. Kopieren Sie die Adresse aus der
          Adresszeile in Ihren Feedreader, um neue Einträge automatisch zu erhalten.</p>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <p><a href="{$home}">Zur Webseite</a></p>
        <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><xsl:value-of select="pubDate"/></p>
      <p><xsl:value-of select="description"/></p>
      <xsl:if test="enclosure">
        <p><a href="{enclosure/@url}">Dokument herunterladen (PDF)</a></p>
      </xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta">Aktualisiert: <xsl:value-of select="substring(atom:updated, 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
      <xsl:for-each select="atom:link[@rel='enclosure']">
        <p><a href="{@href}">Dokument: <xsl:value-of select="@title"/></a></p>
      </xsl:for-each>
    </article>
  </xsl:template>
</xsl:stylesheet>
