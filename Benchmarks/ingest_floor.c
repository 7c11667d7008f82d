// The floor of the cases ingest: SQLite alone inserting the benchmark file's rows, with prepared
// statements and the store's bulk-load pragmas, into a chosen table shape (no checks, no rules:
// the derived columns are filled with cheap stand-ins of the same types). Only the insert is timed.
//
//   cc -O2 -o /tmp/ingest_floor Benchmarks/ingest_floor.c -lsqlite3
//   IDX=kcl /tmp/ingest_floor CASES.csv /tmp/floor.sqlite cur wal [ROWS]
//
// shape: cur (the cases table: WITHOUT ROWID, text id key), rowid (a rowid table, UNIQUE id),
//        dict / dictrowid (unit, department, item and source as integer codes into side tables),
//        any of them + "-noidx" (no secondary index);
// journal: wal | delete | off;
// IDX: the secondary indexes, k = (unit, k_class, k_day) on every row, p = the same on open cases
//      only, c = completed_at, l = latest_at (default kcl).
// M: rows a statement (INSERT … VALUES (…), (…), …; default 1); STATIC: bind the text without a
//    copy (SQLITE_STATIC), as cockpit does.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
typedef struct { const char *f[12]; int n[12]; } Rec;
static double cpu(void){ struct rusage r; getrusage(RUSAGE_SELF,&r); return r.ru_utime.tv_sec+r.ru_utime.tv_usec/1e6+r.ru_stime.tv_sec+r.ru_stime.tv_usec/1e6; }
static double wall(void){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec/1e9; }
static long long ts(const char*s,int n){ if(n<19) return 0; // YYYY-MM-DDTHH:MM:SS
  int y=atoi(s),mo=atoi(s+5),d=atoi(s+8),h=atoi(s+11),mi=atoi(s+14),se=atoi(s+17);
  // days from civil
  y-=mo<=2; long era=(y>=0?y:y-399)/400; unsigned yoe=y-era*400; unsigned doy=(153*(mo+(mo>2?-3:9))+2)/5+d-1; unsigned doe=yoe*365+yoe/4-yoe/100+doy; long days=era*146097+doe-719468;
  return days*86400LL+h*3600+mi*60+se-28800; }
#define CK(x) do{int rc_=(x); if(rc_!=SQLITE_OK && rc_!=SQLITE_DONE && rc_!=SQLITE_ROW){fprintf(stderr,"%s:%d %s\n",__FILE__,__LINE__,sqlite3_errmsg(db));exit(1);}}while(0)
static int dictid(sqlite3*db, sqlite3_stmt*sel, sqlite3_stmt*ins, const char*s,int n){
  // tiny cache by exact string (small dictionaries)
  static char *keys[4096]; static int lens[4096], ids[4096], cnt=0;
  for(int i=0;i<cnt;i++) if(lens[i]==n && memcmp(keys[i],s,n)==0) return ids[i];
  sqlite3_bind_text(ins,1,s,n,SQLITE_TRANSIENT); CK(sqlite3_step(ins)); sqlite3_reset(ins);
  int id=(int)sqlite3_last_insert_rowid(db); keys[cnt]=strndup(s,n); lens[cnt]=n; ids[cnt++]=id; return id; }
int main(int argc,char**argv){
  if(argc<5){ fprintf(stderr,"usage: %s CASES.csv DB SHAPE JOURNAL [ROWS]\n",argv[0]); return 2; }
  const char*csv=argv[1],*path=argv[2],*var=argv[3],*jr=argv[4]; long limit=argc>5?atol(argv[5]):100000000;
  FILE*fp=fopen(csv,"rb"); if(!fp){ perror(csv); return 2; } fseek(fp,0,SEEK_END); long sz=ftell(fp); fseek(fp,0,SEEK_SET);
  char*buf=malloc(sz+1); fread(buf,1,sz,fp); buf[sz]=0;
  long lines=0; for(char*q=buf;*q;q++) lines+=*q=='\n';
  Rec*recs=malloc(sizeof(Rec)*(lines+1)); long nr=0; char*p=strchr(buf,'\n')+1;
  while(*p && nr<limit){ Rec*r=&recs[nr++]; for(int i=0;i<12;i++){ char*e=p; while(*e!=','&&*e!='\n') e++; r->f[i]=p; r->n[i]=e-p; p=e+1; if(*e=='\n') { for(int j=i+1;j<12;j++){r->f[j]="";r->n[j]=0;} break;} } }
  remove(path); char w[512]; snprintf(w,512,"%s-wal",path); remove(w);
  sqlite3*db; sqlite3_open(path,&db);
  char sql[4096];
  snprintf(sql,sizeof sql,"PRAGMA journal_mode=%s; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;", strcmp(jr,"wal")==0?"WAL":strcmp(jr,"delete")==0?"DELETE":"OFF");
  CK(sqlite3_exec(db,sql,0,0,0));
  int dict = strncmp(var,"dict",4)==0; int rowid = strstr(var,"rowid")!=0; int noidx=strstr(var,"noidx")!=0;
  const char*T = dict? "unit INTEGER NOT NULL, department INTEGER NOT NULL, item INTEGER NOT NULL, channel INTEGER NOT NULL," :
     "unit TEXT NOT NULL, department TEXT NOT NULL, item_code TEXT NOT NULL, item_name TEXT NOT NULL, channel TEXT NOT NULL,";
  snprintf(sql,sizeof sql,"CREATE TABLE units(id INTEGER PRIMARY KEY, t TEXT UNIQUE); CREATE TABLE depts(id INTEGER PRIMARY KEY, t TEXT UNIQUE); CREATE TABLE items(id INTEGER PRIMARY KEY, t TEXT UNIQUE); CREATE TABLE srcs(id INTEGER PRIMARY KEY, t TEXT UNIQUE);"
    "CREATE TABLE cases (id TEXT %s NOT NULL, %s accepted_at INTEGER NOT NULL, promised_days INTEGER NOT NULL, status %s NOT NULL, completed_at INTEGER, suspensions TEXT NOT NULL, deadline INTEGER NOT NULL, outside_calendar INTEGER NOT NULL, k_class INTEGER NOT NULL, k_day INTEGER NOT NULL, late INTEGER NOT NULL, source %s NOT NULL, line INTEGER NOT NULL, pushed_at INTEGER NOT NULL, latest_at INTEGER NOT NULL, stall_day INTEGER, abn INTEGER NOT NULL, flags INTEGER NOT NULL) %s;",
    rowid? "UNIQUE":"PRIMARY KEY", T, dict?"INTEGER":"TEXT", dict?"INTEGER":"TEXT", rowid?"":"WITHOUT ROWID");
  CK(sqlite3_exec(db,sql,0,0,0));
  const char*ix=getenv("IDX"); if(!ix) ix="kcl";
  if(!noidx){ if(strchr(ix,'k')) CK(sqlite3_exec(db,"CREATE INDEX cases_by_key ON cases (unit, k_class, k_day);",0,0,0));
    if(strchr(ix,'p')) CK(sqlite3_exec(db,"CREATE INDEX cases_open ON cases (unit, k_class, k_day) WHERE k_class <= 1;",0,0,0));
    if(strchr(ix,'c')) CK(sqlite3_exec(db,"CREATE INDEX cases_by_completion ON cases (completed_at) WHERE completed_at IS NOT NULL;",0,0,0));
    if(strchr(ix,'l')) CK(sqlite3_exec(db,"CREATE INDEX cases_by_latest ON cases (latest_at);",0,0,0)); }
  sqlite3_stmt*st, *du,*dd,*di,*ds; int M=getenv("M")?atoi(getenv("M")):1; int STATIC=getenv("STATIC")!=0;
  { static char q[200000]; strcpy(q, "INSERT OR IGNORE INTO cases VALUES "); for(int m=0;m<M;m++){ strcat(q, m?",":""); strcat(q, dict? "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"); }
    CK(sqlite3_prepare_v2(db, q,-1,&st,0)); }
  sqlite3_prepare_v2(db,"INSERT INTO units(t) VALUES (?)",-1,&du,0); sqlite3_prepare_v2(db,"INSERT INTO depts(t) VALUES (?)",-1,&dd,0);
  sqlite3_prepare_v2(db,"INSERT INTO items(t) VALUES (?)",-1,&di,0); sqlite3_prepare_v2(db,"INSERT INTO srcs(t) VALUES (?)",-1,&ds,0);
  const char*src="/tmp/cockpit-ingest-bench-1000000/cases.csv";
  double c0=cpu(), w0=wall();
  CK(sqlite3_exec(db,"BEGIN",0,0,0));
  int k=1; long nstmt=(nr/M)*M; // the last nr % M rows are left out
  for(long i=0;i<nstmt;i++){ Rec*r=&recs[i]; if(i%M==0) k=1;
    sqlite3_bind_text(st,k++,r->f[0],r->n[0],(STATIC?SQLITE_STATIC:SQLITE_TRANSIENT));
    if(dict){ sqlite3_bind_int(st,k++,dictid(db,0,du,r->f[1],r->n[1])); sqlite3_bind_int(st,k++,dictid(db,0,dd,r->f[2],r->n[2]));
      sqlite3_bind_int(st,k++,dictid(db,0,di,r->f[4],r->n[4])); sqlite3_bind_int(st,k++,r->f[5][0]=='h'?0:r->f[5][0]=='o'?1:2); }
    else { for(int j=1;j<=5;j++) sqlite3_bind_text(st,k++,r->f[j],r->n[j],STATIC?SQLITE_STATIC:SQLITE_TRANSIENT); }
    long long acc=ts(r->f[6],r->n[6]); sqlite3_bind_int64(st,k++,acc); sqlite3_bind_int(st,k++,atoi(r->f[7]));
    if(dict) sqlite3_bind_int(st,k++,r->f[8][0]); else sqlite3_bind_text(st,k++,r->f[8],r->n[8],STATIC?SQLITE_STATIC:SQLITE_TRANSIENT);
    if(r->n[9]) sqlite3_bind_int64(st,k++,ts(r->f[9],r->n[9])); else sqlite3_bind_null(st,k++);
    sqlite3_bind_text(st,k++,r->f[10],r->n[10],STATIC?SQLITE_STATIC:SQLITE_TRANSIENT);
    sqlite3_bind_int64(st,k++,acc+86400*7); sqlite3_bind_int(st,k++,0); sqlite3_bind_int(st,k++,r->n[9]?2:0); sqlite3_bind_int(st,k++,(int)((acc+28800)/86400)+7); sqlite3_bind_int(st,k++,0);
    if(dict) sqlite3_bind_int(st,k++,dictid(db,0,ds,src,strlen(src))); else sqlite3_bind_text(st,k++,src,-1,SQLITE_STATIC);
    sqlite3_bind_int64(st,k++,i+2); sqlite3_bind_int64(st,k++,acc); sqlite3_bind_int64(st,k++,r->n[9]?ts(r->f[9],r->n[9]):acc);
    if(r->n[9]) sqlite3_bind_null(st,k++); else sqlite3_bind_int(st,k++,(int)((acc+28800)/86400)+14);
    sqlite3_bind_int(st,k++,0); sqlite3_bind_int(st,k++,0);
    if(i%M==M-1){ CK(sqlite3_step(st)); sqlite3_reset(st); }
    if(i%50000==49999){ CK(sqlite3_exec(db,"COMMIT; BEGIN",0,0,0)); }
  }
  CK(sqlite3_exec(db,"COMMIT",0,0,0));
  double c1=cpu(), w1=wall();
  if(strcmp(jr,"wal")==0) CK(sqlite3_exec(db,"PRAGMA wal_checkpoint(TRUNCATE)",0,0,0));
  sqlite3_close(db);
  double c2=cpu(), w2=wall();
  printf("%-10s %-6s M %d rows %ld: insert cpu %.2f wall %.2f; +checkpoint/close cpu %.2f wall %.2f; rows/s %.0f\n",var,jr,M,nstmt,c1-c0,w1-w0,c2-c1,w2-w1,nstmt/(w2-w0));
  return 0; }
